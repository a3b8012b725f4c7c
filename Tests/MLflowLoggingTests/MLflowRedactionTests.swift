import MLflowLogging
import Testing

@Suite struct MLflowRedactionTests {
    @Test(arguments: [
        ("http://alice:s3cret@mlflow.example.org:5000/prefix", "http://mlflow.example.org:5000/prefix"),
        ("https://alice:p%40ss%3Aword@host", "https://host"),
        ("https://token-only@host/x", "https://host/x"),
        ("http://a:b@c@host:1", "http://host:1"),
        ("alice:s3cret@host:5000", "host:5000"),
        ("http://host/api/user@example", "http://host/api/user@example"),
        ("https://host/x?token=abc&mode=1#frag", "https://host/x?token=***&mode=***#frag"),
        ("https://u:p@host?access_token=zzz", "https://host?access_token=***"),
        ("http://plain.host:5055", "http://plain.host:5055"),
        ("databricks", "databricks"),
        ("file:///home/me/mlruns", "file:///home/me/mlruns"),
        ("http://us er:pa ss@bad host", "http://bad host"),
    ])
    func uriLosesUserInformationAndQueryValues(uri: String, expected: String) {
        #expect(MLflowRedaction.uriWithoutCredentials(uri) == expected)
    }

    @Test func scrubbingMasksEverySecretLongestFirstAndIgnoresEmptyOnes() {
        let text = "server said: bad token abcdef (prefix abc), header Bearer abcdef"
        #expect(
            MLflowRedaction.scrubbing(text, secrets: ["abc", "", "Bearer abcdef", "abcdef"])
                == "server said: bad token *** (prefix ***), header ***")
    }
}
