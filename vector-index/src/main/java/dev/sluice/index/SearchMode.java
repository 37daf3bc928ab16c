package dev.sluice.index;

/** How a query is matched. */
public enum SearchMode {
  DENSE,
  KEYWORD,
  HYBRID
}
