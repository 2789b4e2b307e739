//! T008: `xmpp` configured for a product without the XMPP gateway and proxy
//! (Skype for Business Server 2019; Subscription Edition assumed the same, req I4).

use crate::model::topology::Product;
use crate::rules::DiagnosticExt;

rule! {
    XmppUnsupportedVersion {
        code: "T008",
        name: "xmpp-unsupported-version",
        severity: Error,
        summary: "`xmpp` configured with `product: sfb2019` or `sfbse`",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            let Some(xmpp) = &t.xmpp else { continue };
            let (product, name) = match t.product {
                Product::Sfb2019 => ("sfb2019", "Skype for Business Server 2019"),
                Product::SfbSe => ("sfbse", "Skype for Business Server Subscription Edition"),
                Product::Lync2013 | Product::Sfb2015 => continue,
            };
            let at = xmpp.span.clone();
            let mut d = META
                .diag(
                    cx.at(ti, &at),
                    format!(
                        "XMPP gateway/proxy configured for product {product}: {name} does not support XMPP federation"
                    ),
                )
                .label("XMPP configured here")
                .help("remove `xmpp` (XMPP federation needs Lync Server 2013 or Skype for Business Server 2015 Edge Servers), or correct `product`");
            if let Some(span) = &t.product_span {
                d = d.related(cx.at(ti, span), format!("product {product}"));
            }
            out.push(d);
        }
    }
}
