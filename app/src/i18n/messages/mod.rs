//! Every fixed text of the interface, in Kazakh, Russian and English, side by side.
//!
//! The macro makes a message without all three texts a compile error. The messages sit in one
//! file per area of the site; each file's macro adds its own to those gathered and calls the
//! next, so that they still make one [`Msg`] and one table.

macro_rules! messages {
    (; $($name:ident => [$kk:expr, $ru:expr, $en:expr $(,)?],)*) => {
        /// A translatable text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name,)* }

        /// The texts of every message, in the order of [`Msg`]'s variants: one table, read by
        /// index. The server's build only: the browser reads the page's own language from the
        /// page (`super::page_texts`), so its bundle carries no text of any language.
        #[cfg(feature = "ssr")]
        const TEXTS: &[[&str; 3]] = &[$([$kk, $ru, $en],)*];

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            /// The texts in Kazakh, Russian and English.
            #[cfg(feature = "ssr")]
            pub fn texts(self) -> [&'static str; 3] {
                TEXTS[self as usize]
            }
        }
    };
}

#[macro_use]
mod common;
#[macro_use]
mod errors;
#[macro_use]
mod account;
#[macro_use]
mod parents;
#[macro_use]
mod heads;
#[macro_use]
mod public;

// Each part adds its messages and calls the next; the last hands them all to `messages!`.
common_messages!(errors_messages, account_messages, parents_messages, heads_messages, public_messages, messages ;);
