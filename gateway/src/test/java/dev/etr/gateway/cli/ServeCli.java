package dev.etr.gateway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code etr} commands in process: {@code serve} for tests that expect it to stop, the client commands. */
public final class ServeCli {

    public record Result(int exitCode, String err, String out) {
    }

    private ServeCli() {
    }

    public static Result serve(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        return run(full);
    }

    /** Runs any {@code etr} command line in process. */
    public static Result run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Etr.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(args);
        return new Result(code, err.toString(), out.toString());
    }
}
