global using FlowAkka.Testing;
