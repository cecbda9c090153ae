package dev.etr.router;

/** The probability the head gives one token (an expert or the generalist). */
public record ExpertProbability(String expert, double p) {
}
