//! Views serialised once into Tera's values and shared by every page that shows them.

use std::marker::PhantomData;

use anyhow::{Result, anyhow};
use serde::{Serialize, Serializer};
use tera::Value;

/// A view of type `T` already made into the value templates read. Serialising it into
/// a page's context copies a pointer, not the view: Tera passes its own values through.
pub struct Shared<T> {
    value: Value,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    pub fn of(view: &T) -> Result<Shared<T>> {
        let value = Value::try_from_serializable(view).map_err(|e| anyhow!("building the template context: {}", super::tera_error(&e)))?;
        Ok(Shared { value, of: PhantomData })
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared { value: self.value.clone(), of: PhantomData }
    }
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Shared").field(&self.value.to_string()).finish()
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A view's `{:?}` (the views derive `Debug` for whoever debugs a page) shows what a
    /// shared part of it holds, not an empty `Shared`.
    #[test]
    fn debug_shows_the_shared_value() {
        #[derive(Serialize)]
        struct Row {
            title: &'static str,
        }
        let row = Row { title: "Budget ouvert" };
        let shared = Shared::of(&row).unwrap();
        let value = Value::try_from_serializable(&row).unwrap().to_string();
        assert_eq!(format!("{shared:?}"), format!("Shared({value:?})"));
        assert!(value.contains("Budget ouvert"), "{value}");
    }
}
