"""The workbench in a real browser (headless Chromium driven by Selenium): a school signs in,
uploads the sample workbooks, waits for its findings and downloads its package; its principal
submits and gets the receipt; the province signs in and merges. Run by scripts/serve-browser-test.sh.

Usage: serve_browser_test.py BASE_URL PASSWORD SAMPLE_DIR DOWNLOAD_DIR
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, password, sample, downloads = sys.argv[1:5]
school = "3701J001"
passed, failed = 0, 0


def check(name, condition):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}")


def until(predicate, seconds=90):
    """Polls (bounded): True once predicate() holds, False when the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
    options.add_argument(flag)
options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
driver.set_page_load_timeout(60)


def sign_in(name):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()


try:
    sign_in("demo-school")
    check("the school lands on its page", driver.current_url.endswith(f"/schools/{school}"))
    driver.find_element(By.ID, "roster").send_keys(os.path.join(sample, "roster.xlsx"))
    driver.find_element(By.ID, "applications").send_keys(os.path.join(sample, "applications.xlsx"))
    driver.find_element(By.CSS_SELECTOR, "form[enctype] button.primary").click()
    check("the upload leads to its job page", "/jobs/" in driver.current_url)
    job_url = driver.current_url
    check("the findings come (the page refreshes itself until the run is done)",
          until(lambda: "没有错误" in driver.page_source or "有错误" in driver.page_source))
    check("the sample workbooks are clean: package and declaration offered", "下载申报包" in driver.page_source)
    driver.find_element(By.PARTIAL_LINK_TEXT, "下载申报包").click()
    check("the package downloads", until(lambda: any(n.endswith(".zip") for n in os.listdir(downloads)), 30))

    sign_in("demo-principal")
    driver.get(job_url)
    driver.find_element(By.XPATH, "//button[contains(., '确认报送')]").click()
    check("the principal's submission gives the receipt", "报送回执" in driver.page_source and "/submissions/" in driver.current_url)

    sign_in("demo-province")
    check("the province lands on its progress page", driver.current_url.endswith("/province"))
    check("the progress table shows 济南市 submitted", "济南市 370100" in driver.page_source)
    driver.find_element(By.XPATH, "//button[contains(., '汇总')]").click()
    check("the merge leads to its page", "/merges/" in driver.current_url)
    check("the merge finishes with its downloads", until(lambda: "/files/roster" in driver.page_source))
    os.makedirs(downloads, exist_ok=True)
    driver.find_element(By.XPATH, "//a[contains(@href, '/files/roster')]").click()
    check("the merged roster downloads", until(lambda: any("roster.csv.gz" in n and not n.endswith(".crdownload")
                                                           for n in os.listdir(downloads)), 30))
finally:
    driver.quit()

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
