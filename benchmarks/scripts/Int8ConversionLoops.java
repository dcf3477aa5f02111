/*
 * Does C2 vectorise an int8 (or int16/int32) weight row converted to float inside the product?
 * The edge runtime's int8 kernel (docs/algorithms.md "int8 weights") depends on the answer.
 * Run: java benchmarks/scripts/Int8ConversionLoops.java [out=2000]
 * Prints, per repetition, each loop's time relative to the float32 axpy over the same inputs
 * (784 inputs, 20% non-zero as for MNIST), side by side in one run.
 */
public class Int8ConversionLoops {
    static void axpyF(float a, float[] x, float[] y, int n) { for (int k = 0; k < n; k++) y[k] += a * x[k]; }
    static void axpyB(float a, byte[] x, float[] y, int n) { for (int k = 0; k < n; k++) y[k] += a * x[k]; }
    static void axpyS(float a, short[] x, float[] y, int n) { for (int k = 0; k < n; k++) y[k] += a * x[k]; }
    static void axpyI(float a, int[] x, float[] y, int n) { for (int k = 0; k < n; k++) y[k] += a * x[k]; }
    static void dequantise(byte[] q, float[] s, float[] row, int n) { for (int k = 0; k < n; k++) row[k] = q[k] * s[k]; }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000, in = 784, its = 1000;
        java.util.Random r = new java.util.Random(1);
        float[][] wf = new float[in][n]; byte[][] wb = new byte[in][n]; short[][] ws = new short[in][n]; int[][] wi = new int[in][n];
        float[] s = new float[n], row = new float[n], x = new float[in], y = new float[n];
        for (int i = 0; i < in; i++) {
            for (int k = 0; k < n; k++) {
                wi[i][k] = r.nextInt(255) - 127; ws[i][k] = (short) wi[i][k]; wb[i][k] = (byte) wi[i][k]; wf[i][k] = wi[i][k] * 0.01f;
            }
            x[i] = r.nextInt(5) == 0 ? r.nextFloat() : 0f;
        }
        for (int k = 0; k < n; k++) s[k] = 0.01f;
        for (int rep = 0; rep < 5; rep++) {
            long[] t = new long[6];
            t[0] = System.nanoTime();
            for (int it = 0; it < its; it++) for (int i = 0; i < in; i++) if (x[i] != 0) axpyF(x[i], wf[i], y, n);
            t[1] = System.nanoTime();
            for (int it = 0; it < its; it++) for (int i = 0; i < in; i++) if (x[i] != 0) axpyB(x[i], wb[i], y, n);
            t[2] = System.nanoTime();
            for (int it = 0; it < its; it++) for (int i = 0; i < in; i++) if (x[i] != 0) axpyS(x[i], ws[i], y, n);
            t[3] = System.nanoTime();
            for (int it = 0; it < its; it++) for (int i = 0; i < in; i++) if (x[i] != 0) axpyI(x[i], wi[i], y, n);
            t[4] = System.nanoTime();
            for (int it = 0; it < its; it++) for (int i = 0; i < in; i++) if (x[i] != 0) { dequantise(wb[i], s, row, n); axpyF(x[i], row, y, n); }
            t[5] = System.nanoTime();
            double f = t[1] - t[0];
            System.out.printf("out=%d float32 %.1f us; relative: int8 fused %.2f, int16 fused %.2f, int32 fused %.2f, dequantise+float32 %.2f%n",
                    n, f / its / 1e3, (t[2] - t[1]) / f, (t[3] - t[2]) / f, (t[4] - t[3]) / f, (t[5] - t[4]) / f);
        }
        System.out.println(y[0] + y[n - 1] > 1e30 ? "" : "(checksum ok)");
    }
}
