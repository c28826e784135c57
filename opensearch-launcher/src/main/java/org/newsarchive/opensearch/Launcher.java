package org.newsarchive.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs one OpenSearch node in this JVM, so a test can kill a node by killing its process.
 *
 * <p>A distribution loads its modules (netty transport, common analysis, painless, reindex)
 * from a modules/ folder with a class loader each; here they come from Maven Central jars on
 * the classpath instead, which is why the node is a subclass: only the protected constructor
 * accepts classpath plugins.
 *
 * <p>Arguments are node settings as {@code key=value} (list settings comma-separated), plus
 * {@code --exit-on-stdin-eof}: the node shuts down when its standard input closes, so a
 * controller that dies, however it dies, takes its nodes with it.
 */
public final class Launcher {

    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class, ReindexPlugin.class);

    /** The node with classpath plugins; the constructor is protected in Node. */
    static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        boolean watchStdin = false;
        for (String arg : args) {
            if (arg.equals("--exit-on-stdin-eof")) {
                watchStdin = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("launcher: expected key=value, got: " + arg);
                System.exit(2);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        // Watched from the start: a controller that dies while the node boots takes it along.
        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() != -1) {
                        // the controller writes nothing: only the end of the stream matters
                    }
                } catch (IOException e) {
                    // a broken pipe means the controller is gone, like an EOF
                }
                System.err.println("launcher: standard input closed, stopping");
                System.exit(0);
            }, "launcher-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        Settings settings = builder.build();
        if (!settings.hasValue("path.home")) {
            System.err.println("launcher: path.home=... is required");
            System.exit(2);
        }
        String name = settings.get("node.name", "node");
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), null, () -> name);

        Node node = new ClasspathPluginNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("launcher: close failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "launcher-shutdown"));
        // Blocks until this node has joined an elected cluster manager.
        node.start();
        System.out.println("launcher: node " + name + " started");
        System.out.flush();
        // OpenSearch's own threads are daemons; this one keeps the JVM alive.
        stopped.await();
    }
}
