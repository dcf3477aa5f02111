/**
 * File helpers every fftk module shares: reading a file once with a size bound and only when it is
 * a regular file ({@link org.fftk.edge.io.InputFiles}), atomic writes that never leave a half
 * file or a stranded temp file ({@link org.fftk.edge.io.AtomicFiles}), and SHA-256 as hex
 * ({@link org.fftk.edge.io.Sha256}).
 */
package org.fftk.edge.io;
