import ZizhuCore

/// The value of a `Result`, or nil — keeps expectations on one line.
extension Result {
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Runs a byte-level parser on a string's UTF-8, as the pipeline does on a batch field.
func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer(body)
}

func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate? {
    CalendarDate(year: year, month: month, day: day)
}
