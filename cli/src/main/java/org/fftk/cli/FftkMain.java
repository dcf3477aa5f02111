package org.fftk.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fftk} command: every subcommand, one-line errors, exit codes. */
@Command(name = "fftk", mixinStandardHelpOptions = true, versionProvider = FftkMain.Version.class,
        description = "Forward-Forward networks: train, prune, export to ONNX, run on small devices.",
        subcommands = {CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n")
public final class FftkMain implements Runnable {
    /** Exit code for bad input or a failed operation. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a command line that does not parse. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (QuietTensorFlow.needed(args)) {
            int code = QuietTensorFlow.relaunch(args);
            if (code >= 0) {
                System.exit(code);
            }
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (used by tests, never exits). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FftkMain());
        for (Object sub : Commands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println(line.getCommandSpec().qualifiedName() + ": error: " + Errors.describe(ex));
            if (System.getenv("FFTK_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine line = ex.getCommandLine();
            PrintWriter err = line.getErr();
            String name = line.getCommandSpec().qualifiedName();
            err.println(name + ": " + Errors.oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FftkMain.class.getPackage().getImplementationVersion();
            return new String[] {"fftk " + (v == null ? "dev" : v)};
        }
    }
}
