//! The pager a list page draws: links to its neighbours and to its other orders. Which
//! pages a list has, and their paths, come from [`crate::routes`].

use serde::Serialize;

use crate::routes::{Order, page_path};

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
    /// Stands for pages left out between two links (drawn as an ellipsis).
    pub gap: bool,
}

/// Pages linked on each side of the current one; the first and last are always linked.
const NEIGHBOURS: usize = 2;

/// The page numbers a pager links, in order, with `None` where a run of pages is left
/// out: all of them for a short list, else the first, the last and the current page's
/// neighbours (as Hugo's and Zola's paginators do), so a page of a 300-page list links
/// 7 pages, not 300, and the site's size stays linear in its pages.
fn linked_pages(number: usize, count: usize) -> Vec<Option<usize>> {
    let near = |n: usize| n == 1 || n == count || n.abs_diff(number) <= NEIGHBOURS;
    // An ellipsis never stands for a single page: that page is linked instead.
    let shown = |n: usize| near(n) || (n > 1 && n < count && near(n - 1) && near(n + 1));
    let mut linked = Vec::new();
    for n in 1..=count {
        if shown(n) {
            linked.push(Some(n));
        } else if linked.last().is_some_and(Option::is_some) {
            linked.push(None);
        }
    }
    linked
}

/// What a template needs to draw the pager and the order switch.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Every page, when there is more than one.
    pub pages: Vec<PageLink>,
    /// The other orders' first pages, when the list has several orders.
    pub orders: Vec<PageLink>,
    /// "Page 2 of 5".
    pub label: String,
}

/// The pager of page `number` of `count` in `order`, with links made by `href`.
pub fn pager(
    base: &str,
    orders: &[Order],
    order: Order,
    number: usize,
    count: usize,
    href: impl Fn(&str) -> String,
    label: impl Fn(&str) -> String,
    page_label: String,
) -> PagerView {
    let link = |n: usize| href(&page_path(base, order, n));
    PagerView {
        number,
        count,
        prev: (number > 1).then(|| link(number - 1)),
        next: (number < count).then(|| link(number + 1)),
        pages: if count > 1 {
            linked_pages(number, count)
                .into_iter()
                .map(|n| match n {
                    Some(n) => PageLink { label: n.to_string(), href: link(n), current: n == number, gap: false },
                    None => PageLink { label: "…".to_string(), href: String::new(), current: false, gap: true },
                })
                .collect()
        } else {
            Vec::new()
        },
        orders: if orders.len() > 1 {
            orders
                .iter()
                .map(|o| PageLink { label: label(o.label_key()), href: href(&page_path(base, *o, 1)), current: *o == order, gap: false })
                .collect()
        } else {
            Vec::new()
        },
        label: page_label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_links_its_ends_and_the_current_page_neighbours() {
        let shown = |number, count| {
            linked_pages(number, count).into_iter().map(|n| n.map_or("…".to_string(), |n| n.to_string())).collect::<Vec<_>>().join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(3, 5), "1 2 3 4 5");
        assert_eq!(shown(100, 333), "1 … 98 99 100 101 102 … 333");
        assert_eq!(shown(1, 333), "1 2 3 … 333");
        assert_eq!(shown(4, 333), "1 2 3 4 5 6 … 333");
        assert_eq!(shown(5, 333), "1 2 3 4 5 6 7 … 333", "no ellipsis for page 2 alone");
        assert_eq!(shown(6, 333), "1 … 4 5 6 7 8 … 333");
        assert_eq!(shown(333, 333), "1 … 331 332 333");
        let p = pager("fr/x/", &Order::ONLY, Order::Number, 100, 333, |p| format!("/{p}"), |k| k.to_string(), String::new());
        assert_eq!(p.pages.iter().filter(|l| l.gap).count(), 2);
        assert!(p.pages.iter().filter(|l| l.gap).all(|l| l.href.is_empty() && !l.current));
        assert_eq!(p.pages.iter().find(|l| l.current).map(|l| l.href.as_str()), Some("/fr/x/page/100/"));
    }

    #[test]
    fn the_pager_links_its_neighbours() {
        let p = pager("fr/x/", &Order::ALL, Order::Progress, 2, 3, |p| format!("/{p}"), |k| k.to_string(), "2/3".into());
        assert_eq!(p.prev.as_deref(), Some("/fr/x/by-progress/"));
        assert_eq!(p.next.as_deref(), Some("/fr/x/by-progress/page/3/"));
        assert_eq!(p.pages.iter().filter(|l| l.current).count(), 1);
        assert_eq!(p.orders.iter().map(|o| o.href.as_str()).collect::<Vec<_>>(), ["/fr/x/", "/fr/x/by-progress/", "/fr/x/by-status/"]);
        let single = pager("fr/x/", &Order::ONLY, Order::Number, 1, 1, |p| p.to_string(), |k| k.to_string(), String::new());
        assert!(single.prev.is_none() && single.next.is_none() && single.pages.is_empty() && single.orders.is_empty());
    }
}
