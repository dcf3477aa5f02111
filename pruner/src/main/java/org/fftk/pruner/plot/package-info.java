/** fftk's charts (XChart): one style for the sweep plot and the training-history plots, PNG and SVG. */
package org.fftk.pruner.plot;
