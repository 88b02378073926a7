import Foundation

/// Returns the message for a runtime error: `errorDescription` of a `LocalizedError`, Foundation's
/// description plus the file path for Foundation's own errors (such as a missing file),
/// else `description` or the default rendering of the value.
func describe(_ error: any Error) -> String {
  if let localized = error as? any LocalizedError, let text = localized.errorDescription {
    return text
  }
  let foundationDomains = [NSCocoaErrorDomain, NSPOSIXErrorDomain, NSURLErrorDomain]
  let bridged = error as NSError
  if foundationDomains.contains(bridged.domain) {
    var text = bridged.localizedDescription
    let genericPrefix = "The operation could not be completed. "
    if text.hasPrefix(genericPrefix), text.count > genericPrefix.count {
      text.removeFirst(genericPrefix.count)
    }
    if let path = bridged.userInfo[NSFilePathErrorKey] as? String {
      if text.hasSuffix(".") { text.removeLast() }
      text += ": \(path)"
    }
    return text
  }
  return String(describing: error)
}
