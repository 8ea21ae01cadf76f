//! Conversion of core errors into JS `PreconfLightError`s.

use wasm_bindgen::JsValue;

use crate::ErrorCode;

/// Name given to every error thrown by the core.
pub(crate) const ERROR_NAME: &str = "PreconfLightError";

/// Builds a JS `Error` named `PreconfLightError` with `code` and `message`.
pub(crate) fn js_error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(ERROR_NAME);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

/// Converts any core error into a thrown JS value.
pub(crate) fn to_js<E: ErrorCode>(error: E) -> JsValue {
    js_error(error.code(), &error.to_string())
}

/// An error for a JS argument of the wrong type or length.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    js_error("INVALID_ARGUMENT", message)
}
