package dev.sluice.cli;

import java.io.PrintStream;

/** A one-line progress bar on a terminal; silent when output is not a terminal. */
final class ProgressBar {
  private final PrintStream out;
  private final boolean terminal;
  private final long total;
  private final String label;
  private long lastDraw;

  ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.terminal = System.console() != null;
    this.total = total;
    this.label = label;
  }

  void update(long done) {
    long now = System.nanoTime();
    if (!terminal || (now - lastDraw < 100_000_000L && done < total)) {
      return;
    }
    lastDraw = now;
    int width = 30;
    int filled = total == 0 ? width : (int) (width * done / total);
    out.printf("\r%s [%s%s] %d/%d", label, "#".repeat(filled), " ".repeat(width - filled), done, total);
    if (done >= total) {
      out.println();
    }
    out.flush();
  }
}
