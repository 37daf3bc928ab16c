package dev.sluice.index;

/** One search result: the point's payload and its score (higher is better). */
public record SearchHit(PointPayload payload, float score) {}
