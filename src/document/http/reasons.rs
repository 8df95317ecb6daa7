//! The standard reason phrases of HTTP status codes.

/// The standard reason phrase of a status code, as registered with IANA (`204` →
/// `"No Content"`); `None` for unassigned codes.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    REASON_PHRASES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, phrase)| *phrase)
}

/// Whether `reason` is the standard phrase for `code`, exactly (case included), or the name
/// an earlier RFC gave it (`422 Unprocessable Entity`, `413 Request Entity Too Large`).
pub fn is_standard_reason(code: u16, reason: &str) -> bool {
    reason_phrase(code) == Some(reason)
        || FORMER_REASON_PHRASES
            .iter()
            .any(|(c, phrase)| *c == code && *phrase == reason)
}

pub(super) fn reason_code(reason: &str) -> Option<u16> {
    REASON_PHRASES
        .iter()
        .find(|(_, phrase)| phrase.eq_ignore_ascii_case(reason))
        .map(|(code, _)| *code)
}

/// The IANA HTTP Status Code Registry (unassigned and unused codes left out).
const REASON_PHRASES: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];

/// Names that RFC 2616 and RFC 7231 gave before RFC 9110 renamed them.
const FORMER_REASON_PHRASES: &[(u16, &str)] = &[
    (413, "Payload Too Large"),
    (413, "Request Entity Too Large"),
    (414, "Request-URI Too Long"),
    (416, "Requested Range Not Satisfiable"),
    (422, "Unprocessable Entity"),
];
