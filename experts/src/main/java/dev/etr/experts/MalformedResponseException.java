package dev.etr.experts;

/** A 2xx answer whose body is not what OpenAI's API promises (e.g. not JSON); classified as malformed. */
public final class MalformedResponseException extends RuntimeException {

    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
