/**
 * Import of models trained with FFLib, paper 003's PyTorch library: {@code torch.save} checkpoints
 * read as data ({@link org.fftk.exporter.fflib.RestrictedUnpickler}, never running anything from the
 * file) and mapped to fftk models ({@link org.fftk.exporter.fflib.FflibImporter}); docs/algorithms.md
 * "Importing FFLib checkpoints".
 */
package org.fftk.exporter.fflib;
