package org.merpati.ejb.mailauth.spf;

/** Ends an evaluation with permerror or temperror (RFC 7208 section 2.6.6/2.6.7); never leaves the package. */
final class SpfException extends Exception {

    private final SpfResult result;

    private SpfException(SpfResult result, String message) {
        super(message, null, false, false);
        this.result = result;
    }

    static SpfException perm(String message) {
        return new SpfException(SpfResult.PERMERROR, message);
    }

    static SpfException temp(String message) {
        return new SpfException(SpfResult.TEMPERROR, message);
    }

    SpfResult result() {
        return result;
    }
}
