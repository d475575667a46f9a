# FlowAkka's one build entry point. `./build.sh <target> [args]` bootstraps PowerShell and calls this file.
#
#   build      compile the solution (warnings are errors)
#   test       services + dotnet test of the whole solution; extra args go to `dotnet test` (e.g. --filter X)
#   bench      services + the ratio benchmarks (benchmarks/FlowAkka.Benchmarks); extra args go to it (e.g. --quick)
#   services   install (apt-get, when missing) and start Redis and PostgreSQL + PostGIS on loopback, idempotently
#   stop       stop exactly what `services`, `run` and `cluster` started
#   run        services + FlowDB loaded once + one node in the foreground (Ctrl+C stops it)
#   cluster N  services + N node processes in the background (logs under .data/logs)
#   publish    self-contained-free Release publish of flowakka and pbm into artifacts/
#   clean      remove build output and artifacts (keeps .data)
param(
    [Parameter(Position = 0)] [string] $Target = 'build',
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)] [string[]] $Rest = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Data = Join-Path $Root '.data'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# ---- configuration (FlowKit's variable names; documented defaults for local use) ---------------------------
function Get-Setting([string] $Name, [string] $Default) {
    $secret = "/run/secrets/$Name"
    if (Test-Path $secret) { return (Get-Content -Raw $secret).Trim() }
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value)) { return $Default }
    return $value
}

$RedisPort = Get-Setting 'REDIS_PORT' '6379'
$RedisPassword = Get-Setting 'REDIS_PASSWORD' ''
$FlowDbPort = Get-Setting 'FLOWDB_PORT' '9000'
$FlowMachinePassword = Get-Setting 'FLOWMACHINE_FLOWDB_PASSWORD' 'flowmachine'
$FlowApiPassword = Get-Setting 'FLOWAPI_FLOWDB_PASSWORD' 'flowapi'
$PgBin = '/usr/lib/postgresql/15/bin'
# PostgreSQL keeps its data in .data/pg, unless the postgres user cannot reach the checkout (a clone under a
# private home folder): then in a folder of its own under /var/lib/postgresql, keyed by the checkout's path.
$PgHome = Join-Path $Data 'pg'
$PgLocationFile = Join-Path $Data 'pg-location'
if (Test-Path $PgLocationFile) { $PgHome = (Get-Content -Raw $PgLocationFile).Trim() }
$PgData = Join-Path $PgHome 'data'
$PgSocketDir = Join-Path $PgHome 'run'
$RedisDir = Join-Path $Data 'redis'
$LogDir = Join-Path $Data 'logs'

# Everything the node and the tests read; exported so that child processes see the same endpoints.
$env:REDIS_HOST = Get-Setting 'REDIS_HOST' '127.0.0.1'
$env:REDIS_PORT = $RedisPort
$env:FLOWDB_HOST = Get-Setting 'FLOWDB_HOST' '127.0.0.1'
$env:FLOWDB_PORT = $FlowDbPort
$env:FLOWMACHINE_FLOWDB_USER = Get-Setting 'FLOWMACHINE_FLOWDB_USER' 'flowmachine'
$env:FLOWMACHINE_FLOWDB_PASSWORD = $FlowMachinePassword
if ($RedisPassword) { $env:REDIS_PASSWORD = $RedisPassword }

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

function Test-Command([string] $Name) { return [bool](Get-Command $Name -ErrorAction SilentlyContinue) }

function Write-Step([string] $Text) { Write-Host "==> $Text" }

# ---- services --------------------------------------------------------------------------------------------
function Install-Packages {
    $missing = @()
    if (-not (Test-Path '/usr/bin/redis-server')) { $missing += 'redis-server' }
    if (-not (Test-Path "$PgBin/postgres")) { $missing += 'postgresql-15' }
    if (-not (Test-Path '/usr/share/postgresql/15/extension/postgis.control')) { $missing += 'postgresql-15-postgis-3' }
    if (-not (Test-Path '/usr/lib/python3/dist-packages/zmq')) { $missing += 'python3-zmq' }
    if ($missing.Count -eq 0) { return }
    Write-Step "apt-get install $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native 'apt-get' @('update', '-qq')
    Invoke-Native 'apt-get' @('install', '-y', '-qq', '--no-install-recommends') + $missing
}

function Test-RedisUp {
    $cliArgs = @('-h', '127.0.0.1', '-p', $RedisPort)
    if ($RedisPassword) { $cliArgs += @('--no-auth-warning', '-a', $RedisPassword) }
    $reply = & redis-cli @cliArgs ping 2>$null
    return ($LASTEXITCODE -eq 0 -and "$reply".Trim() -eq 'PONG')
}

function Start-Redis {
    if (Test-RedisUp) { Write-Step "Redis already answers on 127.0.0.1:$RedisPort"; return }
    New-Item -ItemType Directory -Force $RedisDir | Out-Null
    $redisArgs = @('--bind', '127.0.0.1', '--port', $RedisPort, '--daemonize', 'yes',
        '--dir', $RedisDir, '--pidfile', (Join-Path $RedisDir 'redis.pid'), '--logfile', (Join-Path $RedisDir 'redis.log'),
        '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '')
    if ($RedisPassword) { $redisArgs += @('--requirepass', $RedisPassword) }
    Write-Step "starting Redis on 127.0.0.1:$RedisPort (AOF, data in $RedisDir)"
    Invoke-Native '/usr/bin/redis-server' $redisArgs
    for ($i = 0; $i -lt 100 -and -not (Test-RedisUp); $i++) { Start-Sleep -Milliseconds 100 }
    if (-not (Test-RedisUp)) { throw "Redis did not answer on 127.0.0.1:$RedisPort; see $RedisDir/redis.log" }
}

function Invoke-Psql([string] $Database, [string] $Sql) {
    $out = & psql -h 127.0.0.1 -p $FlowDbPort -U postgres -d $Database -v ON_ERROR_STOP=1 -qAtX -c $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "psql ($Database) failed: $out" }
    return $out
}

function Select-PgHome {
    if (Test-Path $PgLocationFile) { return }
    New-Item -ItemType Directory -Force $PgHome | Out-Null
    Invoke-Native 'chmod' @('o+x', $Data)
    & runuser -u postgres -- test -x $PgHome 2>$null
    if ($LASTEXITCODE -eq 0) { return }
    $key = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Root))).Substring(0, 12).ToLowerInvariant()
    $script:PgHome = "/var/lib/postgresql/flowakka-$key"
    $script:PgData = Join-Path $script:PgHome 'data'
    $script:PgSocketDir = Join-Path $script:PgHome 'run'
    New-Item -ItemType Directory -Force $script:PgHome | Out-Null
    Set-Content -Path $PgLocationFile -Value $script:PgHome
    Write-Step "the postgres user cannot reach $Data; PostgreSQL data goes to $($script:PgHome)"
}

function Test-PostgresUp {
    & "$PgBin/pg_isready" -h 127.0.0.1 -p $FlowDbPort -q 2>$null
    return ($LASTEXITCODE -eq 0)
}

function Start-Postgres {
    Push-Location / # runuser keeps the working directory, which the postgres user may not be allowed into
    try { Start-PostgresServer } finally { Pop-Location }
    for ($i = 0; $i -lt 100 -and -not (Test-PostgresUp); $i++) { Start-Sleep -Milliseconds 100 }
    Initialize-FlowDb
}

function Start-PostgresServer {
    if (-not (Test-PostgresUp)) {
        Select-PgHome
        New-Item -ItemType Directory -Force (Split-Path $PgData), $PgSocketDir | Out-Null
        Invoke-Native 'chown' @('-R', 'postgres:postgres', $PgHome)
        if (-not (Test-Path (Join-Path $PgData 'PG_VERSION'))) {
            Write-Step "initdb $PgData"
            Invoke-Native 'runuser' @('-u', 'postgres', '--', "$PgBin/initdb", '-D', $PgData, '-U', 'postgres',
                '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync')
            # The superuser is reachable without a password from loopback (local tooling); every other role needs one.
            $hba = @(
                'local all postgres trust',
                'host  all postgres 127.0.0.1/32 trust',
                'local all all scram-sha-256',
                'host  all all 127.0.0.1/32 scram-sha-256'
            ) -join "`n"
            Set-Content -Path (Join-Path $PgData 'pg_hba.conf') -Value $hba
            Invoke-Native 'chown' @('postgres:postgres', (Join-Path $PgData 'pg_hba.conf'))
        }
        Write-Step "starting PostgreSQL 15 on 127.0.0.1:$FlowDbPort (data in $PgData)"
        $opts = "-c listen_addresses=127.0.0.1 -p $FlowDbPort -k $PgSocketDir -c max_connections=200 -c shared_buffers=256MB -c work_mem=32MB -c maintenance_work_mem=256MB -c max_locks_per_transaction=256"
        Invoke-Native 'runuser' @('-u', 'postgres', '--', "$PgBin/pg_ctl", '-D', $PgData, '-l', (Join-Path $PgHome 'pg.log'), '-o', $opts, '-w', '-t', '60', 'start')
    } else {
        Write-Step "PostgreSQL already answers on 127.0.0.1:$FlowDbPort"
    }
}

function Initialize-FlowDb {
    $fm = $FlowMachinePassword.Replace("'", "''")
    $fa = $FlowApiPassword.Replace("'", "''")
    Invoke-Psql 'postgres' @"
DO `$`$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flowmachine') THEN CREATE ROLE flowmachine LOGIN CREATEDB; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flowapi') THEN CREATE ROLE flowapi LOGIN; END IF;
END `$`$;
ALTER ROLE flowmachine WITH LOGIN CREATEDB PASSWORD '$fm';
ALTER ROLE flowapi WITH LOGIN PASSWORD '$fa';
"@ | Out-Null
    foreach ($db in @('template_postgis', 'flowdb')) {
        $exists = Invoke-Psql 'postgres' "SELECT 1 FROM pg_database WHERE datname = '$db'"
        if (-not $exists) {
            if ($db -eq 'flowdb') { Invoke-Psql 'postgres' "CREATE DATABASE flowdb OWNER flowmachine TEMPLATE template_postgis" | Out-Null }
            else { Invoke-Psql 'postgres' "CREATE DATABASE $db" | Out-Null }
        }
    }
    # template_postgis: what test fixtures clone to get a throw-away FlowDB with PostGIS in ~0.1 s.
    Invoke-Psql 'template_postgis' 'CREATE EXTENSION IF NOT EXISTS postgis' | Out-Null
    Invoke-Psql 'postgres' "UPDATE pg_database SET datistemplate = true WHERE datname = 'template_postgis'" | Out-Null
    Invoke-Psql 'flowdb' 'CREATE EXTENSION IF NOT EXISTS postgis; GRANT CONNECT ON DATABASE flowdb TO flowapi;' | Out-Null
}

function Start-Services {
    Install-Packages
    New-Item -ItemType Directory -Force $Data, $LogDir | Out-Null
    Start-Redis
    Start-Postgres
    $pgis = Invoke-Psql 'flowdb' 'SELECT postgis_lib_version()'
    Write-Host ''
    Write-Host "Redis       redis-cli -h 127.0.0.1 -p $RedisPort$(if ($RedisPassword) { ' -a $REDIS_PASSWORD' })"
    Write-Host "FlowDB      psql -h 127.0.0.1 -p $FlowDbPort -U postgres flowdb   (PostGIS $pgis; roles flowmachine, flowapi)"
    Write-Host ''
}

function Stop-Nodes {
    $pidDir = Join-Path $Data 'nodes'
    if (-not (Test-Path $pidDir)) { return }
    # SIGTERM every node first (each runs coordinated shutdown: unbind ZMQ, drain, hand off, leave), then wait.
    # A pid file whose process is gone or is no longer a dotnet node (pid reuse) is only removed.
    $running = @()
    foreach ($file in Get-ChildItem $pidDir -Filter '*.pid') {
        $nodePid = [int](Get-Content $file)
        $proc = Get-Process -Id $nodePid -ErrorAction SilentlyContinue
        if ($proc -and $proc.ProcessName -eq 'dotnet') {
            Write-Step "stopping node pid $nodePid ($($file.BaseName))"
            & kill -TERM $nodePid 2>$null
            $running += $proc
        }
        Remove-Item $file
    }
    foreach ($proc in $running) {
        # 60 s: the node's own shutdown timeout (HostOptions.ShutdownTimeout) with its sharding hand-off phase.
        if (-not $proc.WaitForExit(60000)) {
            Write-Step "node pid $($proc.Id) did not stop within 60 s: SIGKILL"
            & kill -KILL $proc.Id 2>$null
        }
    }
}

function Stop-Services {
    Stop-Nodes
    $redisPid = Join-Path $RedisDir 'redis.pid'
    if (Test-Path $redisPid) {
        $p = [int](Get-Content $redisPid)
        if (Get-Process -Id $p -ErrorAction SilentlyContinue) {
            Write-Step "stopping Redis (pid $p)"
            & kill -TERM $p
            for ($i = 0; $i -lt 100 -and (Get-Process -Id $p -ErrorAction SilentlyContinue); $i++) { Start-Sleep -Milliseconds 100 }
        }
        Remove-Item -Force $redisPid -ErrorAction SilentlyContinue
    }
    if (Test-Path (Join-Path $PgData 'postmaster.pid')) {
        Write-Step 'stopping PostgreSQL'
        Push-Location / # the postgres user may not be allowed into the checkout
        try { & runuser -u postgres -- "$PgBin/pg_ctl" -D $PgData -m fast -w stop | Out-Null }
        finally { Pop-Location }
    }
}

# ---- .NET ------------------------------------------------------------------------------------------------
function Invoke-Build {
    Invoke-Native 'dotnet' @('build', (Join-Path $Root 'FlowAkka.sln'), '-nologo', '-v', 'minimal', '-warnaserror')
}

function Write-TestSummary([string] $ResultsDir) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $ResultsDir -Filter '*.trx' -Recurse) {
        [xml] $doc = Get-Content -Raw $trx.FullName
        $c = $doc.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        $skipped += [int]$c.notExecuted
        foreach ($r in @($doc.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -eq 'Failed' })) {
            Write-Host "FAILED: $($r.testName)"
        }
    }
    Write-Host ''
    Write-Host "$passed passed, $failed failed, $skipped skipped"
}

function Invoke-Test([string[]] $Extra) {
    Start-Services
    $results = Join-Path $Data 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $testArgs = @('test', (Join-Path $Root 'FlowAkka.sln'), '-nologo', '--logger', 'trx', '--logger', 'console;verbosity=normal',
        '--results-directory', $results, '--blame-hang-timeout', '10m') + $Extra
    & dotnet @testArgs
    $code = $LASTEXITCODE
    Write-TestSummary $results
    exit $code
}

function Invoke-Run {
    Start-Services
    $node = Join-Path $Root 'src/FlowAkka.Node/FlowAkka.Node.csproj'
    Invoke-Native 'dotnet' @('build', $node, '-nologo', '-v', 'quiet', '-c', 'Release')
    Write-Step 'loading FlowDB (once, when empty)'
    Invoke-Native 'dotnet' @('run', '--no-build', '-c', 'Release', '--project', $node, '--', 'datagen', '--if-empty')
    Write-Step 'starting one FlowAkka node (Ctrl+C stops it)'
    & dotnet run --no-build -c Release --project $node -- serve @Rest
    exit $LASTEXITCODE
}

function Invoke-Cluster([int] $Count) {
    if ($Count -lt 1) { throw "usage: ./build.sh cluster N   (N >= 1 nodes)" }
    Start-Services
    $node = Join-Path $Root 'src/FlowAkka.Node/FlowAkka.Node.csproj'
    Invoke-Native 'dotnet' @('build', $node, '-nologo', '-v', 'quiet', '-c', 'Release')
    Invoke-Native 'dotnet' @('run', '--no-build', '-c', 'Release', '--project', $node, '--', 'datagen', '--if-empty')
    $dll = Join-Path $Root 'src/FlowAkka.Node/bin/Release/net10.0/flowakka.dll'
    $pidDir = Join-Path $Data 'nodes'
    New-Item -ItemType Directory -Force $pidDir, $LogDir | Out-Null
    # Every node is a seed (node 0 first, so it forms the cluster): a restarted node 0 then rejoins the running
    # cluster through the others instead of forming a second cluster on its own.
    $seeds = (0..($Count - 1) | ForEach-Object { "akka.tcp://flowakka@127.0.0.1:$(4053 + $_)" }) -join ','
    $started = @()
    for ($i = 0; $i -lt $Count; $i++) {
        $pidFile = Join-Path $pidDir "node$i.pid"
        if ((Test-Path $pidFile) -and (Get-Process -Id ([int](Get-Content $pidFile)) -ErrorAction SilentlyContinue)) {
            throw "node $i is already running (pid $(Get-Content $pidFile)); ./build.sh stop first"
        }
        $env:FLOWMACHINE_PORT = "$(5555 + $i)"
        $env:FLOWAKKA_PBM_PORT = "$(9110 + $i)"
        $env:FLOWAKKA_REMOTE_PORT = "$(4053 + $i)"
        $env:FLOWAKKA_HOSTNAME = '127.0.0.1'
        $env:FLOWAKKA_SEED_NODES = $seeds
        $log = Join-Path $LogDir "node$i.log"
        # nohup via sh: the node's stdout/stderr go straight to the log file (not through this short-lived pwsh,
        # whose exit would close the pipe under the node), and the node survives this script and its session.
        $nodePid = & sh -c 'nohup dotnet "$1" serve >"$2" 2>&1 </dev/null & echo $!' sh $dll $log
        Set-Content -Path $pidFile -Value $nodePid
        $started += [pscustomobject]@{ Index = $i; Pid = [int]$nodePid; Log = $log }
        Write-Step "node $i pid ${nodePid}: zmq $(5555 + $i), pbm $(9110 + $i), remoting $(4053 + $i), log $log"
    }
    # Bounded wait until every node reports Up, so the command returns a usable cluster or a clear failure.
    $deadline = (Get-Date).AddSeconds(90)
    foreach ($n in $started) {
        while (-not (Select-String -Path $n.Log -Pattern 'is Up \(cluster of' -Quiet -ErrorAction SilentlyContinue)) {
            if (-not (Get-Process -Id $n.Pid -ErrorAction SilentlyContinue)) { throw "node $($n.Index) exited; see $($n.Log)" }
            if ((Get-Date) -gt $deadline) { throw "node $($n.Index) not Up within 90 s; see $($n.Log)" }
            Start-Sleep -Milliseconds 250
        }
    }
    Write-Step "$Count node(s) Up; ./build.sh stop stops them (and the services)"
}

switch ($Target.ToLowerInvariant()) {
    'build' { Invoke-Build }
    'test' { Invoke-Test $Rest }
    'bench' {
        Start-Services
        & dotnet run -c Release --project (Join-Path $Root 'benchmarks/FlowAkka.Benchmarks/FlowAkka.Benchmarks.csproj') -- @Rest
        exit $LASTEXITCODE
    }
    'services' { Start-Services }
    'stop' { Stop-Services }
    'run' { Invoke-Run }
    'cluster' { Invoke-Cluster ([int]($Rest | Select-Object -First 1)) }
    'publish' {
        foreach ($p in @('src/FlowAkka.Node/FlowAkka.Node.csproj', 'src/FlowAkka.Pbm/FlowAkka.Pbm.csproj')) {
            Invoke-Native 'dotnet' @('publish', (Join-Path $Root $p), '-c', 'Release', '-nologo', '-o', (Join-Path $Root 'artifacts/publish'))
        }
    }
    'clean' {
        Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object { $_.FullName -notlike "$Data*" } | Remove-Item -Recurse -Force
        if (Test-Path (Join-Path $Root 'artifacts')) { Remove-Item -Recurse -Force (Join-Path $Root 'artifacts') }
    }
    default { Write-Error "unknown target '$Target' (build, test, bench, services, stop, run, cluster, publish, clean)"; exit 2 }
}
