package org.merpati.ejb.mailauth.dkim;

/**
 * Why a signature could not pass, as the RFC 8601 result it turns into ({@code fail}, {@code permerror},
 * {@code temperror}, {@code neutral}) with a short reason.
 */
public class DkimFailure extends Exception {

    private final String result;

    public DkimFailure(String result, String reason) {
        super(reason);
        this.result = result;
    }

    public static DkimFailure permerror(String reason) {
        return new DkimFailure("permerror", reason);
    }

    public static DkimFailure fail(String reason) {
        return new DkimFailure("fail", reason);
    }

    public static DkimFailure temperror(String reason) {
        return new DkimFailure("temperror", reason);
    }

    public String result() {
        return result;
    }
}
