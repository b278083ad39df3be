/**
 * Cities of the demo union tree with their centre (GCJ-02 degrees): the choices offered when a
 * user refuses location access, and the centres the demo stations are scattered around.
 */
export interface StationCity {
  name: string;
  lat: number;
  lng: number;
}

export const STATION_CITIES: StationCity[] = [
  { name: '黄石', lat: 30.1997, lng: 115.0389 },
  { name: '长沙', lat: 28.2282, lng: 112.9388 },
  { name: '徐州', lat: 34.261, lng: 117.1849 },
  { name: '武汉', lat: 30.5928, lng: 114.3055 },
  { name: '襄阳', lat: 32.0089, lng: 112.1224 },
  { name: '南昌', lat: 28.682, lng: 115.8579 },
  { name: '杭州', lat: 30.2741, lng: 120.1551 },
  { name: '盐城', lat: 33.3477, lng: 120.1633 },
  { name: '岳阳', lat: 29.3572, lng: 113.1289 },
  { name: '鹰潭', lat: 28.2602, lng: 117.0692 },
  { name: '南京', lat: 32.0603, lng: 118.7969 },
  { name: '济南', lat: 36.6512, lng: 117.1201 },
];
