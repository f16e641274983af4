//! A theme's JavaScript, minified as it is written (oxc's parser, minifier and code
//! generator): a phone downloads and parses less, and the asset's content hash is of the
//! bytes served. Scripts are classic scripts, not modules: names declared at their top
//! level are globals other scripts use (`FrenchStemmer`), so they keep their names.
//! Legal comments (`/*!`, `@license`) stay; others go.

use anyhow::{Result, bail};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment};
use oxc_minifier::{Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_semantic::SemanticBuilder;
use oxc_span::SourceType;

/// The minified form of a classic script, or why it could not be minified (a syntax
/// error, with its line): the caller then keeps the script as it is.
pub fn javascript(source: &str) -> Result<String> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::script()).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        bail!("{}", first_error(source, parsed.diagnostics.iter()));
    }
    let mut program = parsed.program;
    // The parser leaves some early errors (a name declared twice, say) to semantic
    // analysis; a script with one is not minified either.
    let checked = SemanticBuilder::new().with_check_syntax_error(true).build(&program);
    if !checked.diagnostics.is_empty() {
        bail!("{}", first_error(source, checked.diagnostics.iter()));
    }
    drop(checked);
    let minified = Minifier::new(MinifierOptions::default()).minify(&allocator, &mut program);
    let options = CodegenOptions {
        comments: CommentOptions { legal: LegalComment::Inline, ..CommentOptions::disabled() },
        ..CodegenOptions::minify()
    };
    let code = Codegen::new()
        .with_options(options)
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program)
        .code;
    Ok(code)
}

/// The first diagnostic's message and the line it points at.
fn first_error<'d>(source: &str, mut diagnostics: impl Iterator<Item = &'d oxc_diagnostics::OxcDiagnostic>) -> String {
    let Some(first) = diagnostics.next() else {
        return "syntax error".to_string();
    };
    match first.labels.iter().next() {
        Some(label) => {
            let offset = usize::try_from(label.offset()).unwrap_or(usize::MAX).min(source.len());
            let line = source.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            format!("{} (line {line})", first.message)
        }
        None => first.message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_shrinks_and_keeps_its_globals_and_legal_comments() {
        let source = "/*! Licence: keep me */\n// a note\nfunction FrenchStemmer() {\n  var longName = 1;\n  return longName + 1;\n}\nvar shared = FrenchStemmer();\n";
        let out = javascript(source).unwrap();
        assert!(out.len() < source.len(), "{out}");
        assert!(out.contains("/*! Licence: keep me */"), "{out}");
        assert!(!out.contains("a note"), "{out}");
        assert!(out.contains("function FrenchStemmer("), "{out}");
        assert!(out.contains("shared"), "{out}");
        assert!(!out.contains("longName"), "{out}");
    }

    #[test]
    fn the_same_script_gives_the_same_bytes() {
        let source = include_str!("../themes/default/static/search.js");
        assert_eq!(javascript(source).unwrap(), javascript(source).unwrap());
    }

    #[test]
    fn a_syntax_error_is_named_with_its_line() {
        let err = javascript("var a = 1;\nvar b = (;\n").unwrap_err().to_string();
        assert!(err.contains("(line 2)"), "{err}");
        // An early error the parser leaves to semantic analysis.
        let err = javascript("let a = 1;\nlet a = 2;\n").unwrap_err().to_string();
        assert!(err.contains("`a` has already been declared"), "{err}");
    }

    #[test]
    fn an_error_the_parser_recovers_from_is_refused_too() {
        // The parser reads on past these (it does not give up), but reports them.
        for (source, line) in [("var a = 1;\nreturn a;\n", "(line 2)"), ("'use strict';\nvar b = 010;\n", "(line 2)")] {
            let err = javascript(source).unwrap_err().to_string();
            assert!(err.contains(line), "{source:?}: {err}");
        }
    }
}
