package switchboard.pbx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One PBX's CDR file, read on the blocking executor ({@link CdrFiles} blocks on the disk and polls), so that no
 * actor waits for it. {@code file} is null when the PBX has none configured: then there is nothing to read.
 */
record CdrReader(Path file, Executor blocking) {
    static CdrReader of(PbxSettings pbx, Executor blocking) {
        return new CdrReader(pbx.cdrFile().isBlank() ? null : Path.of(pbx.cdrFile()), blocking);
    }

    boolean present() {
        return file != null;
    }

    /** The recent end of the file; empty when there is none. */
    CompletableFuture<List<CdrBackfill.Row>> recent() {
        if (file == null) return CompletableFuture.completedFuture(List.of());
        return CompletableFuture.supplyAsync(() -> CdrFiles.tail(file), blocking);
    }

    /** One call's rows once Asterisk has written them (see {@link CdrFiles#awaitCall}); empty if they never come. */
    CompletableFuture<List<CdrBackfill.Row>> awaitCall(String linkedId, Duration timeout) {
        if (file == null) return CompletableFuture.completedFuture(List.of());
        return CompletableFuture.supplyAsync(() -> CdrFiles.awaitCall(file, linkedId, timeout), blocking);
    }
}
