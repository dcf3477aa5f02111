/**
 * Reads fftk models from ONNX files (docs/algorithms.md "Model file") with a hand-written protobuf wire decoder: no
 * protobuf or ONNX library. {@link org.fftk.edge.onnx.OnnxModelReader} gives a runnable model,
 * {@link org.fftk.edge.onnx.OnnxFile} a view of what the file holds.
 */
package org.fftk.edge.onnx;
