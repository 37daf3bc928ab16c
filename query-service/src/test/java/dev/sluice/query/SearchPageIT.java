package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}
 * packages): enter the token once, search, see highlighted results with their source, switch mode,
 * look a document up. Leaves a screenshot in {@code target/search-page.png}. Skipped when Chromium
 * is not installed.
 */
class SearchPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Chromium: apt-get install -y chromium chromium-driver");
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir.resolve("index"), Map.of());
    api.add(new Doc("tenant-a", "zorblax.txt", "Travel notes. The capital of the planet Zorblax is Quentonville, a city famous for its singing crystal gardens.",
            "file:///notes/zorblax.txt", "Zorblax travel notes", "Travel notes > Capital", "text/plain", "en", Map.of(), List.of(),
            Instant.parse("2025-01-10T00:00:00Z")),
        Doc.of("tenant-a", "marmalade.txt", "Simmer the bergamot peel for three hours with demerara sugar."));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,900",
            "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (api != null) {
      api.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void searchWithATokenKeptForTheSessionAndLookUpADocument() throws Exception {
    browser.get(api.base + "/");
    assertThat(browser.getTitle()).isEqualTo("Sluice search");
    browser.findElement(By.id("token")).sendKeys("tok-a");
    browser.findElement(By.id("save-token")).click();
    assertThat(browser.findElement(By.id("token-state")).getText()).contains("token set");

    search("What is the capital of Zorblax?");
    List<WebElement> results = awaitResults();
    WebElement top = results.getFirst();
    assertThat(top.getDomAttribute("data-doc-id")).isEqualTo("zorblax.txt");
    assertThat(top.findElement(By.className("cite")).getText()).contains("Zorblax travel notes", "Travel notes > Capital",
        "file:///notes/zorblax.txt");
    assertThat(top.findElements(By.tagName("mark"))).extracting(WebElement::getText).contains("capital", "Zorblax");
    assertThat(browser.findElement(By.id("message")).getText()).contains("result");
    screenshot("search-page.png");

    // The token survives a reload of the tab; keyword mode finds nothing for a word no chunk holds.
    browser.navigate().refresh();
    assertThat(browser.findElement(By.id("token-state")).getText()).contains("token set");
    browser.findElement(By.cssSelector("input[name=mode][value=keyword]")).click();
    search("xylophone");
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.findElement(By.id("message")).getText().equals("No results."));
    assertThat(browser.findElements(By.cssSelector("#results li"))).isEmpty();

    browser.findElement(By.id("doc-id")).sendKeys("zorblax.txt");
    browser.findElement(By.id("lookup")).click();
    WebElement state = new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(b -> b.findElements(By.cssSelector("#doc-status dd[data-field=state]")).stream().findFirst().orElse(null));
    assertThat(state.getText()).isEqualTo("indexed");
    screenshot("search-page-status.png");
  }

  @Test
  void aBadTokenShowsTheApiError() {
    browser.get(api.base + "/");
    browser.findElement(By.id("token")).sendKeys("wrong-token");
    browser.findElement(By.id("save-token")).click();
    search("capital");
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.findElement(By.id("message")).getText().startsWith("401"));
    assertThat(browser.findElement(By.id("message")).getText()).contains("unauthorized", "not valid");
  }

  private static void search(String text) {
    WebElement query = browser.findElement(By.id("query"));
    query.clear();
    query.sendKeys(text);
    browser.findElement(By.id("search")).click();
  }

  private static List<WebElement> awaitResults() {
    return new WebDriverWait(browser, Duration.ofSeconds(15)).until(b -> {
      List<WebElement> found = b.findElements(By.cssSelector("#results li.result"));
      return found.isEmpty() ? null : found;
    });
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Files.createDirectories(Path.of("target"));
    Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
