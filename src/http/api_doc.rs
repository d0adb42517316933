//! Responses that every operation of a kind can give, added to the OpenAPI document in one place.
//!
//! They come from the extractors rather than from a handler's own rules, so each handler's
//! `#[utoipa::path]` lists only what its rules decide (403, 409, 422 …) and this fills in the rest:
//! - an operation that needs a bearer token answers 401 without a valid one ([`crate::auth::Actor`]);
//! - an operation with a path parameter answers 404 for an unknown or malformed id
//!   ([`crate::http::extract::Path`]);
//! - an operation with a JSON body answers 400 for malformed JSON or fields of the wrong type and
//!   413 for a body over the limit ([`crate::http::extract::Json`]);
//! - an operation with query parameters answers 400 for a malformed query string
//!   ([`crate::http::extract::Query`]).
//!
//! A response the handler documents itself is left as it is.
use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder,
    path::{Operation, ParameterIn},
};

/// Add the extractor-level responses to every operation of `doc`.
pub fn add_common_responses(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            add_to_operation(op);
        }
    }
}

fn add_to_operation(op: &mut Operation) {
    let has_path = has_parameter_in(op, ParameterIn::Path);
    let has_query = has_parameter_in(op, ParameterIn::Query);
    let json_body = has_json_body(op);
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());

    if secured {
        ensure(op, "401", "Not signed in, or the access token is invalid or has expired.");
    }
    if has_path {
        ensure(op, "404", "No such resource here, or a malformed id.");
    }
    if json_body {
        ensure(op, "400", "Malformed JSON, a missing field or a field of the wrong type.");
        ensure(op, "413", "The request body is too large.");
    } else if has_query {
        ensure(op, "400", "A malformed query string.");
    }
}

fn has_parameter_in(op: &Operation, place: ParameterIn) -> bool {
    let params = op.parameters.as_deref().unwrap_or_default();
    params.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
}

fn has_json_body(op: &Operation) -> bool {
    matches!(&op.request_body, Some(RefOr::T(b)) if b.content.contains_key("application/json"))
}

fn ensure(op: &mut Operation, status: &str, description: &str) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build();
    op.responses.responses.insert(status.to_owned(), RefOr::T(response));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The served document, checked against the rules above: a new handler gets them for free.
    #[test]
    fn every_operation_documents_what_its_extractors_can_answer() {
        let doc = crate::openapi();
        let mut checked = 0;
        for (path, item) in &doc.paths.paths {
            for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten() {
                let has = |s: &str| op.responses.responses.contains_key(s);
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    assert!(has("401"), "{path} lacks 401");
                }
                if path.contains('{') {
                    assert!(has("404"), "{path} lacks 404");
                }
                if has_json_body(op) {
                    assert!(has("400") && has("413"), "{path} lacks 400 or 413");
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} operations");
    }

    #[test]
    fn a_handlers_own_description_is_kept() {
        let mut op = Operation::new();
        op.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new())]);
        op.responses.responses.insert("401".into(), RefOr::T(ResponseBuilder::new().description("mine").build()));
        add_to_operation(&mut op);
        match &op.responses.responses["401"] {
            RefOr::T(r) => assert_eq!(r.description, "mine"),
            RefOr::Ref(_) => panic!("replaced"),
        }
    }
}
