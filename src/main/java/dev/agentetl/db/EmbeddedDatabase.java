package dev.agentetl.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server (binaries from Maven Central) whose cluster lives in a local folder and
 * survives restarts. One process at a time: a lock file beside the folder makes a second process fail
 * with a clear message instead of touching a cluster that is in use.
 */
public final class EmbeddedDatabase implements Database {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final Path dataDir;
    private final EmbeddedPostgres postgres;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private EmbeddedDatabase(Path dataDir, EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static EmbeddedDatabase start(Path dataDir, int port) {
        FileChannel channel = null;
        FileLock lock = null;
        try {
            Files.createDirectories(dataDir.getParent());
            Path lockFile = lockFileOf(dataDir);
            channel = FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                channel.close();
                throw new DatabaseUnavailableException("data folder " + dataDir + " is in use by another agent-etl process"
                        + holder(lockFile) + "; stop it or set agent-etl.embedded.data-dir to another folder");
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + "\n"));
            stopOrphanedServer(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // stopped by ShutdownSequence after everything that uses it, not by a hook of its own
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("work_mem", "32MB")
                    .setServerConfig("maintenance_work_mem", "256MB")
                    .setServerConfig("max_connections", "100");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            LOG.info("embedded PostgreSQL on port {} with data in {} ({} ms)", pg.getPort(), dataDir,
                    (System.nanoTime() - started) / 1_000_000);
            EmbeddedDatabase db = new EmbeddedDatabase(dataDir, pg, channel, lock);
            dev.agentetl.app.ShutdownSequence.register(db);
            return db;
        } catch (IOException | RuntimeException e) {
            releaseQuietly(lock, channel);
            if (e instanceof DatabaseUnavailableException due) {
                throw due;
            }
            if (missingBinaries(e)) {
                throw new DatabaseUnavailableException("no embedded PostgreSQL for this platform ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; there are binaries for "
                        + "Linux and macOS on x86-64 and ARM64): use an external PostgreSQL 15 or newer, with "
                        + "agent-etl.db.url (AGENT_ETL_DB_URL), agent-etl.db.user and agent-etl.db.password", e);
            }
            throw new DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** zonky found no server binaries for this system and architecture on the class path. */
    private static boolean missingBinaries(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && "Missing embedded postgres binaries".equals(t.getMessage())) return true;
        }
        return false;
    }

    static Path lockFileOf(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A process that was killed leaves its server running on the folder; we hold the lock, so that
     * server has no owner any more: stop it (SIGINT = PostgreSQL's fast shutdown) before starting.
     */
    private static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        Optional<ProcessHandle> server = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        if (server.isPresent() && server.get().isAlive()
                && server.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
            LOG.warn("stopping the PostgreSQL server (pid {}) left running on {} by a process that ended", lines.get(0), dataDir);
            try {
                new ProcessBuilder("kill", "-INT", lines.get(0).trim()).inheritIO().start().waitFor();
                server.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("could not stop the orphaned server (pid " + lines.get(0) + "): " + e.getMessage(), e);
            }
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) lock.release();
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // nothing more to do on a failed start
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public boolean isEmbedded() {
        return true;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL (data in " + dataDir + ", port " + postgres.getPort() + ")";
    }

    @Override
    public void close() {
        dev.agentetl.app.ShutdownSequence.closed(this);
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            releaseQuietly(lock, lockChannel);
        }
    }
}
