package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.datasets.DatasetLocator;
import org.fftk.datasets.KnownDataset;
import org.fftk.datasets.LocatedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk data}: find, verify and download datasets (docs/algorithms.md "Datasets on a user's machine"). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Find, verify and download the datasets (mnist, fashion-mnist, cifar10).",
        subcommands = {DataCommand.Fetch.class, DataCommand.ListCmd.class})
final class DataCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Make a dataset available: use a verified copy on this machine, else download it into the user cache",
                    "($XDG_CACHE_HOME/fftk or ~/.cache/fftk), checking the SHA-256 of every decompressed file."})
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10")
        String name;

        @Option(names = "--data", paramLabel = "DIR", description = "look here first")
        Path dataDir;

        @Option(names = "--force", description = "download into the cache even when a copy exists elsewhere")
        boolean force;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            KnownDataset d = KnownDataset.fromId(name);
            DatasetLocator loc = DatasetLocator.standard(dataDir);
            LocatedDataset r = force ? loc.download(d) : loc.locate(d);
            PrintWriter out = spec.commandLine().getOut();
            out.println(r);
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every place fftk looks for each dataset, and what is there (hashes the files it finds).")
    static final class ListCmd implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", description = "also look here")
        Path dataDir;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<DatasetLocator.Candidate> cands = DatasetLocator.standard(dataDir).list();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (DatasetLocator.Candidate c : cands) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("dataset", c.dataset.id());
                    r.put("origin", c.origin);
                    r.put("dir", c.dir.toString());
                    r.put("files_present", c.present.size());
                    r.put("files_expected", c.dataset.files().size());
                    r.put("complete", c.complete);
                    r.put("verified", c.verified);
                    r.put("corrupt", c.corrupt);
                    rows.add(r);
                }
                out.println(Json.pretty(rows));
            } else {
                for (DatasetLocator.Candidate c : cands) {
                    out.println(c);
                }
            }
            out.flush();
            return 0;
        }
    }
}
