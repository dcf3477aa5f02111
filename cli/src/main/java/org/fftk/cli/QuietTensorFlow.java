package org.fftk.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps TensorFlow's native start-up log lines (oneDNN, CPU features, MLIR) off stderr, so that an
 * error is one line. TensorFlow reads {@code TF_CPP_MIN_LOG_LEVEL} from the process environment
 * when it first logs, and Java cannot change its own process environment; so a command that loads
 * TensorFlow, started without that variable, runs in a child JVM (same JVM options, class path and
 * arguments; standard input and output inherited) that has it set to 2 (info and warnings hidden).
 * TensorFlow 2.18 also logs two lines through absl, which ignores that variable (measured: "WARNING:
 * All log messages before absl::InitializeLog() ..." and "I0000 ... MLIR V1 optimization pass is not
 * enabled"); the child's stderr is therefore copied through {@link #copyWithoutTfInfo}, which drops
 * absl's info and warning lines and passes everything else through as it comes (progress bars
 * included). {@code FFTK_TF_LOG=0} (or any explicit {@code TF_CPP_MIN_LOG_LEVEL}) keeps everything.
 */
final class QuietTensorFlow {
    /** Set in the child so that it never starts another one. */
    static final String VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

    private QuietTensorFlow() {
    }

    /** True when this command line loads TensorFlow and its log level has not been chosen. */
    static boolean needed(String[] args) {
        if (args.length == 0 || System.getenv(VARIABLE) != null) {
            return false;
        }
        if (java.util.Set.of("train", "finetune", "compress").contains(args[0])) {
            return true;
        }
        return java.util.Arrays.asList(args).contains("--finetune-epochs");
    }

    /** Runs the command line in a child JVM with the log level set; returns its exit code, or -1 when no child could start. */
    static int relaunch(String[] args) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FftkMain.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        String level = System.getenv("FFTK_TF_LOG");
        pb.environment().put(VARIABLE, level == null || level.isBlank() ? "2" : level);
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            Thread copier = new Thread(() -> copyWithoutTfInfo(p.getErrorStream(), System.err), "fftk-stderr");
            copier.start();
            int code = p.waitFor();
            copier.join();
            return code;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** absl's info/warning line head ("I1203 07:28:33.458209    4447 file.cc:401] ") and its pre-init notice. */
    private static final Pattern ABSL_INFO = Pattern.compile("^(?:[IW]\\d{4} [\\d:.]+ +\\d+ [\\w.-]+:\\d+\\] "
            + "|WARNING: All log messages before absl::InitializeLog\\(\\) is called).*", Pattern.DOTALL);
    /** Bytes of a line's head looked at before it is passed on. */
    private static final int HEAD = 160;

    /**
     * Copies {@code in} to {@code out} without absl's info and warning lines. A line's first bytes are
     * held until the line ends, a carriage return comes, or {@link #HEAD} bytes are there; a line that
     * is not absl's is then passed on at once, byte by byte, so progress bars still move.
     */
    static void copyWithoutTfInfo(InputStream in, OutputStream out) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int mode = 0; // 0: deciding, 1: passing the line, 2: dropping the line
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (mode == 0) {
                        head.write(b);
                        if (b == '\n' || b == '\r' || head.size() >= HEAD) {
                            boolean tf = ABSL_INFO.matcher(head.toString(StandardCharsets.UTF_8)).matches();
                            if (!tf) {
                                out.write(head.toByteArray());
                            }
                            head.reset();
                            mode = b == '\n' || b == '\r' ? 0 : tf ? 2 : 1;
                        }
                    } else {
                        if (mode == 1) {
                            out.write(b);
                        }
                        if (b == '\n' || b == '\r') {
                            mode = 0;
                        }
                    }
                }
                out.flush();
            }
            if (head.size() > 0 && !ABSL_INFO.matcher(head.toString(StandardCharsets.UTF_8)).matches()) {
                out.write(head.toByteArray());
            }
            out.flush();
        } catch (IOException e) {
            // the child is gone or our stderr is closed: nothing left to show
        }
    }
}
