package org.fftk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine;

/** Runs {@code fftk} in-process and captures what it prints. */
final class CliRun {
    final int exit;
    final String out;
    final String err;

    private CliRun(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static CliRun of(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = FftkMain.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        return new CliRun(code, o.toString(), e.toString());
    }

    /** The real-data folder ($FFTK_DATA, else ../shared/datasets), or null. */
    static Path dataRoot() {
        String env = System.getenv("FFTK_DATA");
        Path p = env != null && !env.isBlank() ? Paths.get(env) : Paths.get("..", "..", "shared", "datasets");
        if (!Files.isDirectory(p.resolve("mnist"))) {
            p = Paths.get("..", "shared", "datasets");
        }
        return Files.isDirectory(p.resolve("mnist")) ? p.toAbsolutePath().normalize() : null;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
