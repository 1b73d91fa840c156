package io.meshcast.forecast;

/**
 * What the adapter needs to decide whether to trust a series' forecast.
 *
 * @param modelName the model in use ("naive" before the first refit)
 * @param relativeError recent MAE of this model's forecasts at {@code errorHorizonSteps} divided by
 *     the MAE of the naive (last value) forecast at the same horizon, exponentially weighted over
 *     about {@link ForecasterConfig#errorMemoryPoints()} points; NaN while unknown
 * @param errorHorizonSteps the horizon {@code relativeError} is measured at
 * @param trustworthy false if the history is shorter than {@link ForecasterConfig#minFitPoints()},
 *     no refit has happened yet, or {@code relativeError > 1} (worse than naive)
 * @param pointsSeen observations accepted since creation (missing points included)
 * @param historySize points currently held in the bounded history
 * @param refits number of completed refits
 */
public record ModelStatus(
    String modelName,
    double relativeError,
    int errorHorizonSteps,
    boolean trustworthy,
    long pointsSeen,
    int historySize,
    long refits) {}
