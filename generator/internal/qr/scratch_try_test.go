package qr

import ("testing"; "os")

func TestTry(t *testing.T) {
	for _, u := range []string{"https://zfgs.jiangmen.gov.cn/c/JM-SCJG-2025-0012/", "HTTPS://ZFGS.JIANGMEN.GOV.CN/C/JM-SCJG-2025-0012/", "https://ZFGS.JIANGMEN.GOV.CN/c/JM-SCJG-2025-0012/"} {
		for _, l := range []Level{L, M, Q, H} {
			c, err := Encode(u, l)
			if err != nil { t.Fatal(err) }
			s := c.SVG(SVGOptions{SizeMM: 25})
			p := c.PNG(296, 300)
			t.Logf("%s %v v%d size %d mask %d svg %d png %d", u, l, c.Version, c.Size, c.Mask, len(s), len(p))
			if l == Q { os.WriteFile("/tmp/q.png", p, 0o644); os.WriteFile("/tmp/q.svg", s, 0o644) }
		}
	}
}
