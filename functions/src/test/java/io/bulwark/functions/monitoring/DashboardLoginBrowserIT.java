package io.bulwark.functions.monitoring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard behind the admin token, in a real headless Chromium: given the token as HTTP Basic credentials (what a
 * browser sends after the login prompt; here in the URL, as the prompt cannot be typed into), the page loads and sets
 * the operator's cookie, with which the page and its own {@code fetch} of {@code /metrics/dashboard} are let through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the same as OperatorPagesIT's, so that the two share one application context
        "bulwark.operator.require-token=true",
        "bulwark.admin-token=" + DashboardLoginBrowserIT.TOKEN,
})
class DashboardLoginBrowserIT {

    static final String TOKEN = "operator-pages-token";

    @LocalServerPort
    int port;
    ChromeDriver browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void should_open_the_dashboard_and_its_data_with_the_token_as_basic_credentials() {
        browser = Chromium.start(1200, 900);
        // The login: the credentials the prompt would have sent. A page whose own URL carries credentials may not
        // fetch (the fetch standard refuses a URL with credentials, and relative URLs inherit them), so the page is
        // then opened as a browser shows it after the prompt: at its plain URL.
        browser.get("http://operator:" + TOKEN + "@127.0.0.1:" + port + "/dashboard?refresh=300");
        assertThat(browser.getTitle()).isEqualTo("Bulwark dashboard");
        assertThat(browser.manage().getCookieNamed("bulwark_operator")).as("the operator's cookie").isNotNull();

        browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=300");
        assertThat(browser.getTitle()).isEqualTo("Bulwark dashboard");
        new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage("the page's first update from /metrics/dashboard")
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return window.bulwarkDashboard && window.bulwarkDashboard.updates > 0")));
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof Chart"))
                .as("Chart.js from the app's open /webjars").isEqualTo("function");
    }
}
