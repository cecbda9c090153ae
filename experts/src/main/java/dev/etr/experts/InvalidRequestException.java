package dev.etr.experts;

/**
 * A client request etr cannot accept (answered with 400).
 *
 * @see ChatRequest#parse
 */
public final class InvalidRequestException extends Exception {

    private final String param;

    /** @param param the offending field ({@code messages}, {@code messages[2].role}), or null for the whole body */
    public InvalidRequestException(String message, String param) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
