import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { AidApplicationOrgOption } from '@union/shared';
import { listApplicationOrgs } from '../api/aid-applications';
import { errorMessage } from '../api/client';
import { Button } from './Button';
import { Field } from './Field';
import { Banner, Loading } from './States';
import './OrgPicker.css';

const ORG_PAGE = 8;

/** A chosen union: its code (sent to the API) and its name (the only thing users see). */
export interface PickedOrg {
  code: string;
  name: string;
}

/**
 * Choose a union by name or city (GET /aid/application-orgs: city, district and grassroots unions): the chosen one is
 * shown by name with 更换; codes never reach the screen. Element ids: `<idPrefix>-search`, `<idPrefix>-search-go`,
 * `<idPrefix>-<code>` per option, `<idPrefix>-more`, `<idPrefix>-name`, `<idPrefix>-change`.
 */
export function OrgPicker({ idPrefix, value, onChange, prompt = '请选择您工作单位或居住地所在的工会' }: {
  idPrefix: string; value: PickedOrg | null; onChange: (org: PickedOrg) => void; prompt?: string;
}) {
  const [picking, setPicking] = useState(!value);
  const [query, setQuery] = useState('');
  const [orgs, setOrgs] = useState<{ items: AidApplicationOrgOption[]; total: number; page: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setPicking(!value), [value]);

  const search = async (page = 1) => {
    setError(null);
    try {
      const res = await listApplicationOrgs({ q: query.trim() || undefined, page, pageSize: ORG_PAGE });
      setOrgs((prev) => ({ items: page === 1 ? res.items : [...(prev?.items ?? []), ...res.items], total: res.total, page: res.page }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    if (picking && !orgs) void search(1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picking]);

  if (value && !picking) {
    return (
      <View className='row'>
        <Text id={`${idPrefix}-name`}>{value.name}</Text>
        <Text className='link' id={`${idPrefix}-change`} onClick={() => setPicking(true)}>更换</Text>
      </View>
    );
  }
  return (
    <View>
      <View className='muted'>{prompt}</View>
      <View className='org-search'>
        <View className='org-search-field'>
          <Field id={`${idPrefix}-search`} label='按名称或城市查找' placeholder='如 黄石' value={query} onInput={setQuery} />
        </View>
        <Button size='small' id={`${idPrefix}-search-go`} onClick={() => void search(1)}>搜索</Button>
      </View>
      <Banner message={error} />
      {!orgs && !error ? <Loading /> : orgs && orgs.items.length === 0 ? <View className='muted'>没有找到，请换个关键词</View> : (
        <View>
          {orgs?.items.map((o) => (
            <View key={o.code} className={`org-option ${value?.code === o.code ? 'org-option-on' : ''}`} id={`${idPrefix}-${o.code}`} role='button'
              onClick={() => { onChange({ code: o.code, name: o.name }); setPicking(false); }}>
              <Text>{o.name}</Text>
              <View className='muted'>{[o.parentName, o.city].filter(Boolean).join(' · ')}</View>
            </View>
          ))}
          {orgs && orgs.items.length < orgs.total && (
            <Button kind='plain' id={`${idPrefix}-more`} onClick={() => void search(orgs.page + 1)}>加载更多</Button>
          )}
        </View>
      )}
    </View>
  );
}
