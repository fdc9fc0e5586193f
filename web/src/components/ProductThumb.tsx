// A product's photo in a list: fixed size (the layout does not move when it arrives), loaded
// only when it scrolls into view, and an empty square for a product without one.
import { apiAsset } from '../api/client';

export function ProductThumb({ url, size = 40 }: { url: string | null; size?: number }) {
  const box = { width: `${size}px`, height: `${size}px`, minWidth: `${size}px` };
  if (!url) return <span aria-hidden="true" class="inline-block shrink-0 rounded bg-slate-100" style={box} />;
  return (
    <img
      src={apiAsset(url)}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      class="inline-block max-w-none shrink-0 rounded bg-slate-100 object-cover"
      style={box}
    />
  );
}
