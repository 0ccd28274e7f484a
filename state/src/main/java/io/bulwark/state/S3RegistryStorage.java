package io.bulwark.state;

import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.registry.RegistryStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A model registry on S3-compatible object storage ({@code s3://bucket/prefix}: AWS S3, MinIO, Ceph, s3proxy...),
 * shared by every instance. A version is claimed by a conditional write of {@code vN/.claim} (if none exists), its
 * files are written, and only then {@code vN/.complete}: a version is listed once whole. The claim keeps two
 * instances training at the same moment from sharing a number on servers that honour {@code If-None-Match} on a
 * write (AWS S3, MinIO); on one that ignores it (s3proxy 2.6) the later writer of such a pair overwrites the
 * earlier's files. The pointer
 * ({@code promotion.json}) is one object replaced whole; each instance polls it with its ETag
 * ({@code If-None-Match}: an unchanged pointer costs a 304 and no body), so a promotion or rollback on one instance
 * reaches the others within the poll interval.
 */
public final class S3RegistryStorage implements RegistryStorage, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3RegistryStorage.class);

    /** The default interval of the pointer poll. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    static final String COMPLETE = ".complete";
    static final String CLAIM = ".claim";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Duration poll;
    private final List<Consumer<byte[]>> listeners = new CopyOnWriteArrayList<>();
    private volatile String pointerEtag;
    private ScheduledExecutorService poller;

    S3RegistryStorage(S3Client s3, String bucket, String prefix, Duration poll) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /**
     * Opens the registry at {@code location} ({@code s3://bucket} or {@code s3://bucket/prefix}); {@code endpoint}
     * (blank for AWS) names an S3-compatible server, addressed path-style; credentials and region come from the
     * default AWS chain (environment, profile, instance role), the region defaulting to us-east-1.
     */
    public static S3RegistryStorage open(String location, String endpoint, Duration poll) {
        return open(location, endpoint, poll, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #open(String, String, Duration)} with the given credentials. */
    public static S3RegistryStorage open(String location, String endpoint, Duration poll,
                                         AwsCredentialsProvider credentials) {
        URI uri = URI.create(location);
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("an S3 registry is s3://bucket or s3://bucket/prefix: " + location);
        }
        String prefix = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        var builder = S3Client.builder().credentialsProvider(credentials)
                .region(Region.of(Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1")));
        if (endpoint != null && !endpoint.isBlank()) {
            // S3-compatible servers (s3proxy, older MinIO, Ceph) do not all read the SDK's default trailing checksums
            // (aws-chunked uploads): send and check checksums only where the API requires them.
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return new S3RegistryStorage(builder.build(), uri.getHost(), prefix, poll);
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public List<String> versionNames() {
        List<String> names = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(slash + 1).equals(COMPLETE)) {
                names.add(rest.substring(0, slash));
            }
        }
        return names;
    }

    @Override
    public boolean exists(String version) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(prefix + version + "/" + COMPLETE));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String version, String file) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(prefix + version + "/" + file));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(location() + version + "/" + file);
        } catch (SdkException e) {
            throw new IOException("cannot read " + location() + version + "/" + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String write(Map<String, byte[]> files, boolean initial) throws IOException {
        try {
            int next = initial ? 1 : versionNames().stream().filter(ModelRegistry::isVersionName)
                    .mapToInt(v -> Integer.parseInt(v.substring(1))).max().orElse(0) + 1;
            while (true) {
                String version = "v" + next;
                if (initial && exists(version)) {
                    return version; // another instance wrote v1 (deterministic): as good
                }
                if (!exists(version) && claim(version)) {
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        s3.putObject(r -> r.bucket(bucket).key(prefix + version + "/" + f.getKey()),
                                RequestBody.fromBytes(f.getValue()));
                    }
                    // Last: the version is listed only once every file is in place.
                    s3.putObject(r -> r.bucket(bucket).key(prefix + version + "/" + COMPLETE),
                            RequestBody.fromBytes(new byte[0]));
                    return version;
                }
                if (initial) {
                    return "v1"; // another instance wrote v1 (deterministic): as good
                }
                next++;
            }
        } catch (SdkException e) {
            throw new IOException("cannot write a version into " + location() + ": " + e.getMessage(), e);
        }
    }

    /** Takes the number: a conditional write that fails when another writer took it first. */
    private boolean claim(String version) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(prefix + version + "/" + CLAIM).ifNoneMatch("*"),
                    RequestBody.fromBytes(new byte[0]));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> readPointer() throws IOException {
        try {
            ResponseBytes<GetObjectResponse> b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(pointerKey()));
            pointerEtag = b.response().eTag();
            return Optional.of(b.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read " + location() + ModelRegistry.PROMOTION_FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writePointer(byte[] content) throws IOException {
        try {
            pointerEtag = s3.putObject(r -> r.bucket(bucket).key(pointerKey()), RequestBody.fromBytes(content)).eTag();
        } catch (SdkException e) {
            throw new IOException("cannot write " + location() + ModelRegistry.PROMOTION_FILE + ": " + e.getMessage(),
                    e);
        }
    }

    private String pointerKey() {
        return prefix + ModelRegistry.PROMOTION_FILE;
    }

    @Override
    public synchronized void onPointerChanged(Consumer<byte[]> listener) {
        listeners.add(listener);
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bulwark-registry-poll");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::pollPointer, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the pointer if its ETag changed (a 304 otherwise) and tells the listeners. */
    void pollPointer() {
        try {
            String known = pointerEtag;
            ResponseBytes<GetObjectResponse> b = s3.getObjectAsBytes(r -> {
                r.bucket(bucket).key(pointerKey());
                if (known != null) {
                    r.ifNoneMatch(known);
                }
            });
            if (b.response().eTag() != null && b.response().eTag().equals(known)) {
                return;
            }
            pointerEtag = b.response().eTag();
            byte[] content = b.asByteArray();
            listeners.forEach(l -> l.accept(content));
        } catch (NoSuchKeyException absent) {
            // nothing promoted yet
        } catch (S3Exception e) {
            if (e.statusCode() != 304) {
                log.warn("Model registry {}: cannot poll {}: {}", location(), ModelRegistry.PROMOTION_FILE,
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Model registry {}: cannot poll {}: {}", location(), ModelRegistry.PROMOTION_FILE, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        s3.close();
    }

    @Override
    public String toString() {
        return location() + " (pointer polled every " + poll.toMillis() + " ms)";
    }
}
