package dev.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
    description = "Document events in, a fresh searchable vector index out.",
    subcommands = {LocalCommand.class, PublishCommand.class, SearchCommand.class, StatusCommand.class, EvalCommand.class, PurgeCommand.class, BenchCommand.class, dev.sluice.cli.chaos.ChaosCommand.class, CommandLine.HelpCommand.class})
public final class SluiceCli {
  private SluiceCli() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(SluiceCli.class);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException) {
        commandLine.getErr().println("sluice " + commandLine.getCommandName() + ": " + e.getMessage());
        return 1;
      }
      if (e instanceof dev.sluice.runtime.FatalServiceException) {
        commandLine.getErr().println("sluice " + commandLine.getCommandName() + ": cannot start: " + e.getMessage());
        return 1;
      }
      if (e instanceof org.apache.kafka.common.config.ConfigException) {
        commandLine.getErr().println("sluice " + commandLine.getCommandName() + ": invalid configuration: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    System.exit(cli.execute(args));
  }
}
