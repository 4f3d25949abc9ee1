import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// Drives headless Chromium through the real `advocate serve` on loopback, as an advocate
/// would: sign in, open a case, record an event, make a document, download it, sign out.
/// Each page is saved as a screenshot in `.build/screenshots/` and its content is checked.
@Suite("A real browser", .serialized)
struct BrowserTests {
    static let driverPath = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("sign in, open a case, send an event, make and download a document, sign out", .enabled(if: driverPath != nil, "needs chromium-driver"))
    func advocatesDay() async throws {
        let cli = CLI()
        let password = "plum kettle orbit lantern"
        let added = try cli.run(["users", "add", "maria", "--role", "advocate", "--password-stdin"], environment: ["ADVOCATE_BCRYPT_COST": "4"], input: password + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        let server = try RunningServer(cli: cli)
        defer { server.stop() }
        let downloads = TestSupport.temporaryFolder("advocate-downloads")
        let browser = try await WebDriver.start(driver: BrowserTests.driverPath!, downloads: downloads)
        do {
            try await walkThrough(browser, base: server.base, password: password, downloads: downloads)
        } catch {
            let path = (try? await browser.path()) ?? "?"
            await browser.stop()
            throw BrowserError("\(error) (on \(path))")
        }
        await browser.stop()
    }

    func walkThrough(_ browser: WebDriver, base: String, password: String, downloads: String) async throws {
        let shots = TestSupport.root + "/.build/screenshots"
        try? FileManager.default.removeItem(atPath: shots)
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        func screenshot(_ name: String) async throws {
            let png = try await browser.screenshot()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            try png.write(to: URL(fileURLWithPath: "\(shots)/\(name).png"))
        }

        // Signing in.
        try await browser.go(base + "/agenda")
        #expect(try await browser.path { $0 == "/login" } == "/login", "signed out, the agenda sends you to sign in")
        try await screenshot("01-sign-in")
        try await browser.type("#name", "maria")
        try await browser.type("#password", password)
        try await browser.click("form[action='/login'] button[type=submit]")
        #expect(try await browser.path { $0 == "/agenda" } == "/agenda")
        #expect(try await browser.shows("h1", "Agenda"))
        try await screenshot("02-agenda")

        // Opening a case.
        try await browser.click("nav a[href='/cases']")
        try await browser.click("a[href='/cases/new']")
        try await browser.click("a[href='/cases/new/protective-order']")
        try await screenshot("03-new-case")
        try await browser.type("#f-client-name", "Rosa Fictional")
        try await browser.click("main form button[type=submit]")
        let casePath = try await browser.path { $0.hasPrefix("/cases/C-") }
        #expect(casePath.hasPrefix("/cases/C-"))
        #expect(try await browser.shows("main", "Rosa Fictional"))
        try await screenshot("04-case")

        // Recording an event: the first safety plan is done.
        try await browser.click("details:has(form[action$='/events/safety_plan_made']) > summary")
        try await browser.click("form[action$='/events/safety_plan_made'] button[type=submit]")
        #expect(try await browser.shows("#history", "The first safety plan is done"))
        try await screenshot("05-event-recorded")

        // Making a document, previewing it, and downloading it.
        try await browser.go(base + casePath + "/documents/new")
        try await screenshot("06-choose-form")
        try await browser.click("#form-safety-plan")
        try await browser.click("main form button[type=submit]")
        #expect(try await browser.shows(".paper", "Rosa Fictional"), "the preview shows the case's data")
        try await screenshot("07-preview")
        try await browser.click("#format-odt")
        try await browser.click("form[action$='/documents'] button[type=submit]")
        #expect(try await browser.shows("#documents", "The document is ready"))
        try await screenshot("08-document-ready")
        try await browser.click("#documents .flash a")
        let file = try await BrowserTests.waitForFile(in: downloads, suffix: ".odt")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.starts(with: Array("PK".utf8)), "the download is an OpenDocument package")

        // Signing out, for good.
        try await browser.click("form[action='/logout'] button")
        #expect(try await browser.path { $0 == "/login" } == "/login")
        try await screenshot("09-signed-out")
        try await browser.go(base + casePath)
        #expect(try await browser.path { $0 == "/login" } == "/login", "after signing out the case is out of reach")
    }

    /// Waits (up to a minute) for a finished download; Chromium writes `.crdownload` until then.
    static func waitForFile(in folder: String, suffix: String) async throws -> String {
        for _ in 0..<600 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if let name = names.first(where: { $0.hasSuffix(suffix) }) { return folder + "/" + name }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw BrowserError("no \(suffix) file was downloaded into \(folder)")
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `advocate serve --port 0` on a test store, with the port it reports.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    let base: String

    init(cli: CLI) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--port", "0", "--store", cli.store, "--home", TestSupport.root]
        var environment = ProcessInfo.processInfo.environment
        environment["ADVOCATE_NOW"] = cli.now
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // The server says where it listens once it does.
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw BrowserError("advocate serve stopped before it started: \(String(decoding: seen, as: UTF8.self))") }
            seen += chunk
        }
        let line = String(decoding: seen, as: UTF8.self)
        guard let range = line.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else { throw BrowserError("unexpected first line: \(line)") }
        base = String(line[range])
    }

    /// Asks the server to stop (it finishes requests in flight), and makes it after ten seconds.
    func stop() {
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A few W3C WebDriver commands over HTTP, enough to use a page as a person does.
final class WebDriver: @unchecked Sendable {
    let driver: Process
    let endpoint: String
    var session = ""

    private init(driver: Process, endpoint: String) {
        self.driver = driver
        self.endpoint = endpoint
    }

    static func start(driver path: String, downloads: String) async throws -> WebDriver {
        let port = Int.random(in: 20_000..<60_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = WebDriver(driver: process, endpoint: "http://127.0.0.1:\(port)")
        for attempt in 0..<100 {
            if (try? await driver.command("GET", "/status")) != nil { break }
            if attempt == 99 {
                kill(process.processIdentifier, SIGKILL)
                throw BrowserError("chromedriver did not start")
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
        var options: [String: Any] = [
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1600", "--lang=en-US"],
            "prefs": ["download.default_directory": downloads, "download.prompt_for_download": false],
        ]
        if let binary { options["binary"] = binary }
        let created = try await driver.command("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let session = (created as? [String: Any])?["sessionId"] as? String else { throw BrowserError("no WebDriver session: \(created)") }
        driver.session = session
        // A busy machine answers slowly: finding an element waits for it, up to 30 seconds.
        try await driver.command("POST", "/session/\(session)/timeouts", ["implicit": 30_000, "pageLoad": 120_000])
        _ = try? await driver.command(
            "POST", "/session/\(session)/chromium/send_command", ["cmd": "Page.setDownloadBehavior", "params": ["behavior": "allow", "downloadPath": downloads]])
        return driver
    }

    /// Closes Chromium, then stops the driver.
    func stop() async {
        if !session.isEmpty { _ = try? await command("DELETE", "/session/\(session)") }
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
    }

    /// Sends a command and returns its `value`; a WebDriver error becomes a thrown error.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        var request = HTTPClientRequest(url: endpoint + path)
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let data = try await response.body.collect(upTo: 64 << 20)
        let object = try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any]
        let value = object?["value"] ?? NSNull()
        if let error = (value as? [String: Any])?["error"] as? String {
            throw BrowserError("\(method) \(path): \(error): \((value as? [String: Any])?["message"] as? String ?? "")")
        }
        return value
    }

    func go(_ url: String) async throws { try await command("POST", "/session/\(session)/url", ["url": url]) }

    /// The current page's path, once it is `expected` (a click's navigation may still be under way), or after 30 seconds.
    func path(expecting expected: ((String) -> Bool)? = nil) async throws -> String {
        var path = ""
        for _ in 0..<300 {
            let url = try await command("GET", "/session/\(session)/url") as? String ?? ""
            path = URL(string: url)?.path ?? url
            if expected?(path) ?? true { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return path
    }

    func element(_ css: String) async throws -> String {
        let found = try await command("POST", "/session/\(session)/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = found?.values.first as? String else { throw BrowserError("no element \(css)") }
        return id
    }

    func click(_ css: String) async throws {
        try await command("POST", "/session/\(session)/element/\(try await element(css))/click", [:])
    }

    func type(_ css: String, _ text: String) async throws {
        try await command("POST", "/session/\(session)/element/\(try await element(css))/value", ["text": text])
    }

    /// The visible text of the first element matching `css`.
    func text(_ css: String) async throws -> String {
        try await command("GET", "/session/\(session)/element/\(try await element(css))/text") as? String ?? ""
    }

    /// Whether the first element matching `css` shows `expected`, waiting up to 30 seconds for the page to get there.
    func shows(_ css: String, _ expected: String) async throws -> Bool {
        for _ in 0..<300 {
            if let text = try? await text(css), text.contains(expected) { return true }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return false
    }

    func screenshot() async throws -> Data {
        let encoded = try await command("GET", "/session/\(session)/screenshot") as? String ?? ""
        return Data(base64Encoded: encoded) ?? Data()
    }
}
