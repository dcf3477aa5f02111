/** {@code java -jar fftk-edge.jar}: eval, predict, bench and info without any dependency. */
package org.fftk.edge.cli;
