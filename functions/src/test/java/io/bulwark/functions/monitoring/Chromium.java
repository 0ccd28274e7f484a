package io.bulwark.functions.monitoring;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Paths can be moved with {@code BULWARK_CHROMIUM} and
 * {@code BULWARK_CHROMEDRIVER}. Without them a browser test fails, saying how to install them, unless
 * {@code BULWARK_SKIP_BROWSER_TESTS=true} asks to skip it (a developer's machine without Chromium); CI never
 * sets it, so there the test cannot pass silently.
 */
final class Chromium {

    static final String SKIP = "BULWARK_SKIP_BROWSER_TESTS";

    private Chromium() {
    }

    /** Starts a headless browser with a new empty profile under {@code target/}. */
    static ChromeDriver start(int width, int height) {
        String browser = env("BULWARK_CHROMIUM", "/usr/bin/chromium");
        String driver = env("BULWARK_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!new File(browser).canExecute() || !new File(driver).canExecute()) {
            String missing = "Chromium (" + browser + ") or chromedriver (" + driver + ") is not installed: "
                    + "apt-get install -y chromium chromium-driver (as .ci/run does), or set " + SKIP + "=true to skip";
            if ("true".equalsIgnoreCase(System.getenv(SKIP))) {
                Assumptions.abort(missing);
            }
            throw new IllegalStateException(missing);
        }
        Path profile;
        try {
            Files.createDirectories(Path.of("target"));
            profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        // --no-sandbox: CI runs as root; the network flags keep Chromium off the (closed) internet.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        return new ChromeDriver(service, options);
    }

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }
}
