package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice bench}: the benchmarks behind the figures in the README, each on the real code path. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: measure a stage on this machine (run on an idle machine; take medians of several runs).",
    subcommands = {BenchIngestCommand.class, BenchEmbedCommand.class, BenchIndexCommand.class, BenchRetrievalCommand.class, BenchPipelineCommand.class})
final class BenchCommand {}
