package dev.etr.gateway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code etr serve} in process for tests that expect it to stop (a start-up error). */
public final class ServeCli {

    public record Result(int exitCode, String err) {
    }

    private ServeCli() {
    }

    public static Result serve(String... args) {
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = Etr.commandLine().setErr(new PrintWriter(err)).execute(full);
        return new Result(code, err.toString());
    }
}
