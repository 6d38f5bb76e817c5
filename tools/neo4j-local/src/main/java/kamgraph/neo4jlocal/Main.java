package kamgraph.neo4jlocal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a Neo4j Community DBMS (5.26 LTS or a calendar release) in-process with only the Bolt
 * connector, for local tests and CI.
 *
 * <pre>
 *   java [add-opens flags] -jar neo4j-local.jar &lt;port&gt; &lt;dataDir&gt;
 * </pre>
 *
 * Bolt listens on 127.0.0.1:&lt;port&gt; without TLS or authentication; the default database is
 * {@code neo4j}. It also answers {@code neo4j://} (client-side routing): the routing table it
 * returns names its advertised Bolt address, set to the listen address. Store files go to {@code
 * dataDir}; Neo4j's own debug.log goes to {@code dataDir/../logs}. Once Bolt accepts connections a single line
 * {@code NEO4J-LOCAL READY bolt://127.0.0.1:<port>} is printed on stdout. SIGTERM/SIGINT shut the
 * DBMS down cleanly.
 *
 * <p>Optional system properties: {@code neo4jlocal.host} (default 127.0.0.1), {@code
 * neo4jlocal.pagecache.mib} (default 64).
 */
public final class Main {
    private static final String DEFAULT_DATABASE = "neo4j";

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: neo4j-local <port> <dataDir>");
            System.exit(2);
        }
        final int port = Integer.parseInt(args[0]);
        final Path dataDir = Path.of(args[1]).toAbsolutePath().normalize();
        final Path home = dataDir.getParent() != null ? dataDir.getParent() : dataDir;
        final String host = System.getProperty("neo4jlocal.host", "127.0.0.1");
        final long pageCacheMiB = Long.getLong("neo4jlocal.pagecache.mib", 64L);
        Files.createDirectories(dataDir);

        final PrintStream out = System.out;
        final Log4jLogProvider userLog = new Log4jLogProvider(out, Level.INFO);

        final long t0 = System.nanoTime();
        final DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(userLog)
                    .setConfig(GraphDatabaseSettings.data_directory, dataDir)
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    .setConfig(GraphDatabaseSettings.initial_default_database, DEFAULT_DATABASE)
                    // Bolt only, plain text, no auth.
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    // The address a neo4j:// driver's routing table names: this server, this port.
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Defaults make Bolt shutdown sit idle for ~10 s with no clients left.
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // Server-side routing would open a second port (7688); client-side routing
                    // (neo4j:// drivers ask for the routing table over Bolt) needs none.
                    .setConfig(GraphDatabaseSettings.routing_enabled, false)
                    // Small, explicit memory footprint.
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                    .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                    // Transaction logs: no preallocation, small files, few kept.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    // Nothing to report to and fewer background threads.
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.filewatcher_enabled, false)
                    .build();
        } catch (Throwable t) {
            System.err.println("NEO4J-LOCAL FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("NEO4J-LOCAL STOPPING");
            out.flush();
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("NEO4J-LOCAL shutdown error: " + t);
            } finally {
                userLog.close();
                out.println("NEO4J-LOCAL STOPPED");
                out.flush();
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        try {
            GraphDatabaseService db = dbms.database(DEFAULT_DATABASE);
            if (!db.isAvailable(TimeUnit.MINUTES.toMillis(5))) {
                throw new IllegalStateException("database '" + DEFAULT_DATABASE + "' did not become available");
            }
            waitForPort(host, port, TimeUnit.MINUTES.toMillis(2));
        } catch (Throwable t) {
            System.err.println("NEO4J-LOCAL FAILED: " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook
            return;
        }

        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        out.println("NEO4J-LOCAL started in " + ms + " ms, data " + dataDir);
        out.println("NEO4J-LOCAL READY bolt://" + host + ":" + port);
        out.flush();

        stopped.await();
    }

    private static void waitForPort(String host, int port, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("Bolt port " + host + ":" + port + " not accepting connections", last);
    }
}
