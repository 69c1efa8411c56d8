import type { Sample } from '../state/image_slice';

/**
 * Bundled sample images (public/samples/, licences in its README.md). Those
 * with a mask are validation composites: the mask is their ground truth.
 */
export const SAMPLES: readonly Sample[] = [
  { id: 'chelsea', name: 'Chelsea the cat', image: '/samples/chelsea.jpg', mask: null, credit: 'Stefan van der Walt, CC0 (scikit-image)' },
  { id: 'astronaut', name: 'Astronaut', image: '/samples/astronaut.jpg', mask: null, credit: 'NASA, public domain (scikit-image)' },
  { id: 'dog-daisy', name: 'Dachshund', image: '/samples/dog-daisy.jpg', mask: null, credit: 'Jack Moore, MIT (jQuery Colorbox examples)' },
  { id: 'horse-rider', name: 'Horse and rider', image: '/samples/horse-rider.jpg', mask: null, credit: 'Jack Moore, MIT (jQuery Colorbox examples)' },
  { id: 'two-dogs', name: 'Two dogs', image: '/samples/two-dogs.jpg', mask: null, credit: 'Aitzol Berasategi, CC-BY-4.0 (Lomiri wallpapers)' },
  { id: 'wine-bottle', name: 'Wine bottle', image: '/samples/wine-bottle.jpg', mask: null, credit: 'Jakub Mede, CC-BY-4.0 (Lomiri wallpapers)' },
  { id: 'grandfather', name: 'Grandfather and child', image: '/samples/grandfather.jpg', mask: null, credit: 'Jack Moore, MIT (jQuery Colorbox examples)' },
  { id: 'photographer', name: 'Photographer', image: '/samples/photographer.jpg', mask: null, credit: 'Lav Varshney, CC0 (scikit-image)' },
  { id: 'coffee', name: 'Coffee', image: '/samples/coffee.jpg', mask: null, credit: 'Rachel Michetti, CC0 (scikit-image)' },
  { id: 'val-cat-car', name: 'Cat and car', image: '/samples/val-cat-car.jpg', mask: '/samples/val-cat-car.png', credit: 'validation composite: openclipart (public domain) on scikit-image gravel (CC0)' },
  { id: 'val-cow-cat', name: 'Cow and cat', image: '/samples/val-cow-cat.jpg', mask: '/samples/val-cow-cat.png', credit: 'validation composite: openclipart (public domain) on a photo by Aitzol Berasategi (CC-BY-4.0)' },
  { id: 'val-plane-cow', name: 'Plane and cow', image: '/samples/val-plane-cow.jpg', mask: '/samples/val-plane-cow.png', credit: 'validation composite: openclipart (public domain) on a photo by Trevor "Freespace" (CC-BY-4.0)' },
];
