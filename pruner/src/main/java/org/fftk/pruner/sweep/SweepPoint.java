package org.fftk.pruner.sweep;

/**
 * One measured point of a sweep: a model pruned by one method to one keep count with one seed, and
 * evaluated on the test set. Accuracies are fractions in [0, 1].
 *
 * @param model            display name of the model
 * @param modelSha256      SHA-256 of the source model file (part of the key)
 * @param method           method label (part of the key)
 * @param keep             kept neurons per layer after clipping, e.g. "512" or "512;256" (part of the key)
 * @param kept             the same as numbers
 * @param seed             seed (part of the key); for deterministic methods the sweep's first seed
 * @param parameters       parameters of the pruned model
 * @param nonzeroParameters non-zero parameters of the pruned model
 * @param macs             MACs per prediction
 * @param fileBytes        serialised pruned model size
 * @param gzipBytes        gzip-compressed size
 * @param compressionRatio original file bytes / pruned file bytes
 * @param gzipCompressionRatio original gzip bytes / pruned gzip bytes
 * @param accuracy         test accuracy of the pruned model
 * @param testSize         test images
 * @param fromBaseline     true when every neuron was kept, so the unpruned model's accuracy was reused
 * @param seconds          wall time spent on the point
 */
public record SweepPoint(String model, String modelSha256, String method, String keep, int[] kept, long seed,
                         long parameters, long nonzeroParameters, long macs, long fileBytes, long gzipBytes,
                         double compressionRatio, double gzipCompressionRatio, double accuracy, int testSize,
                         boolean fromBaseline, double seconds) {

    /** The resume key: (model hash, method, keep, seed). */
    public String key() {
        return key(modelSha256, method, keep, seed);
    }

    static String key(String sha, String method, String keep, long seed) {
        return sha + "|" + method + "|" + keep + "|" + seed;
    }

    /** "512" when every layer keeps the same count, else "512;256". */
    public static String keepLabel(int[] kept) {
        boolean same = true;
        for (int k : kept) {
            same &= k == kept[0];
        }
        if (same) {
            return Integer.toString(kept[0]);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kept.length; i++) {
            if (i > 0) {
                s.append(';');
            }
            s.append(kept[i]);
        }
        return s.toString();
    }
}
