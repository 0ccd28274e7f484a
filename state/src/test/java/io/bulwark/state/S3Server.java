package io.bulwark.state;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * A real S3-compatible server for tests: s3proxy on its filesystem backend, in process, on a free loopback port,
 * its objects in a temporary directory; requests must be signed (AWS signature v4) with {@link #credentials()}.
 */
public final class S3Server implements AutoCloseable {

    private static final String IDENTITY = "bulwark-test";
    private static final String CREDENTIAL = "bulwark-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3Server(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts a server whose buckets are directories under {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials(IDENTITY, CREDENTIAL)
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        Await.until(Duration.ofSeconds(20), "s3proxy started", () -> proxy.getState().equals(AbstractLifeCycle.STARTED));
        return new S3Server(proxy, context);
    }

    /** Creates {@code bucket}. */
    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Returns the endpoint, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Returns the credentials requests are signed with. */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
