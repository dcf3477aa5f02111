package org.fftk.datasets;

/** A dataset could not be found or fetched; the message says what to put where. */
public class DatasetUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetUnavailableException(String message) {
        super(message);
    }
}
