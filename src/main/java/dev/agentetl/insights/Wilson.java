package dev.agentetl.insights;

/** The Wilson score interval of a proportion: honest for small samples, unlike the raw ratio. */
final class Wilson {

    private Wilson() {
    }

    /** {low, high} for {@code successes} out of {@code n} at the normal quantile {@code z} (1.96 = 95 %). */
    static double[] interval(long successes, long n, double z) {
        if (n == 0) return new double[]{0, 1};
        double p = (double) successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
