/**
 * Dataset readers (docs/algorithms.md "Data"): IDX (MNIST, Fashion-MNIST) and CIFAR-10 binary batches, plain or
 * gzipped, with strict size checks. {@link org.fftk.edge.data.Datasets#load} is the entry point.
 */
package org.fftk.edge.data;
